using TsgbKit.Demo;
using TsgbKit.Weights;

namespace TsgbKit.Cli.Tests;

/// <summary>Demo-architecture weight files written once per test run (random, untrained: the tests check plumbing, not skill).</summary>
internal static class Weights
{
    private static readonly Lazy<string> Folder = new(() =>
    {
        var folder = Path.Combine(Path.GetTempPath(), "tsgb-cli-tests-" + Environment.ProcessId);
        Directory.CreateDirectory(folder);
        foreach (var name in DemoModels.Names)
        {
            using var model = DemoModels.Untrained(name);
            StateDict.Save(model.Module, Path.Combine(folder, name + ".safetensors"));
        }
        return folder;
    });

    public static string For(string name) => Path.Combine(Folder.Value, name + ".safetensors");

    public static string Temp(string file) => Path.Combine(Folder.Value, file);
}
