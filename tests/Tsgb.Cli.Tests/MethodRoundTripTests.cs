using TsgbKit.Demo;
using TsgbKit.Imaging;
using TsgbKit.Methods;
using TsgbKit.Synthetic;
using TsgbKit.Tensors;

namespace TsgbKit.Cli.Tests;

/// <summary>Every name in the method registry: `tsgb explain --method NAME --out x.npy` writes the fluent API's map.</summary>
[Collection(InProcessTorch.Name)]
public class MethodRoundTripTests
{
    public static TheoryData<string> Names() => new(MethodCatalog.Names);

    [Theory]
    [MemberData(nameof(Names))]
    public void ExplainWritesTheFluentApisMap(string name)
    {
        // the wrappers with 2 passes: the same settings on both sides keep it a round trip, and quick
        var wraps = MethodCatalog.Find(name).Wraps;
        var output = Weights.Temp($"round-trip-{name}.npy");
        string[] arguments = ["explain", "--model", "scene-resnet", "--weights", Weights.For("scene-resnet"),
            "--scene", "4", "--target", "hexagon", "--method", name, "--out", output, .. wraps ? new[] { "--samples", "2" } : []];
        var run = TsgbProcess.Run(arguments);
        Assert.True(run.ExitCode == 0, run.Stderr);

        using var model = DemoModels.FromWeights("scene-resnet", Weights.For("scene-resnet"));
        var scene = Scenes.Generate(4);
        var method = MethodCatalog.Create(name, wraps ? new MethodSettings { Samples = 2 } : null);
        var expected = model.Explain(new RgbImage(scene.Width, scene.Height, scene.Rgb)).For("hexagon").With(method);
        Assert.Equal(name, expected.Method);
        Assert.Equal(expected.Map, Npy.ReadArray(output).Data);
    }
}
