using System.Text.Json.Nodes;
using TsgbKit.Errors;
using TsgbKit.Interactive.Kernel;
using TsgbKit.Jupyter.KernelSpecs;

namespace TsgbKit.Interactive.Tests;

/// <summary>Which command a kernelspec starts, and the refusal of one that lies in a temporary folder.</summary>
public sealed class LauncherLocationTests : IDisposable
{
    private readonly string _root = Directory.CreateTempSubdirectory("tsgb-launcher-").FullName;

    private string Touch(params string[] parts)
    {
        var path = Path.Combine([_root, .. parts]);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, "");
        return path;
    }

    [Fact]
    public void AToolInstallStartsTheToolsCommandNotItsStoreFolder()
    {
        var dll = Touch("tools", ".store", "tsgb", "0.1.0", "tsgb", "0.1.0", "tools", "net10.0", "any", "tsgb.dll");
        Assert.Null(KernelLauncher.ToolShim(dll)); // no command beside .store: not a tool install
        var shim = Touch("tools", "tsgb");
        Assert.Equal(shim, KernelLauncher.ToolShim(dll));
        Assert.Null(KernelLauncher.ToolShim(Touch("src", "bin", "Release", "net10.0", "tsgb.dll")));
        // the RID-specific package's layout (ours): the command is found the same way
        var ridDll = Touch("tools", ".store", "tsgb", "0.2.0", "tsgb.linux-x64", "0.2.0", "tools", "net10.0", "linux-x64", "tsgb.dll");
        Assert.Equal(shim, KernelLauncher.ToolShim(ridDll));
    }

    [Fact]
    public void TheToolsCommandGetsTheDotnetRootOfItsRuntime()
    {
        var env = KernelLauncher.EnvironmentFor([Path.Combine(_root, "tsgb"), "kernel", "start", "{connection_file}"]);
        var root = Assert.Contains("DOTNET_ROOT", env);
        Assert.True(File.Exists(Path.Combine(root, OperatingSystem.IsWindows() ? "dotnet.exe" : "dotnet")), root);
        Assert.Empty(KernelLauncher.EnvironmentFor([KernelLauncher.DotnetHost(), "/x/tsgb.dll", "kernel", "start"]));
    }

    [Fact]
    public void OnlyFilesInsideATemporaryFolderCount()
    {
        var temporary = Path.Combine(_root, "tmp");
        Assert.Equal((Path.Combine(temporary, "tools", "tsgb"), temporary),
            LauncherLocation.InTemporaryFolder([Path.Combine(temporary, "tools", "tsgb"), "kernel"], [temporary + "/"]));
        Assert.Null(LauncherLocation.InTemporaryFolder([Path.Combine(_root, "tmpfiles", "tsgb"), "kernel", "start", "{connection_file}"], [temporary]));
        Assert.Null(LauncherLocation.InTemporaryFolder(["tsgb", "kernel"], [temporary]));
        Assert.Contains(Path.TrimEndingDirectorySeparator(Path.GetTempPath()), LauncherLocation.TemporaryFolders());
    }

    [Fact]
    public void BuildOutputsAreRecognised()
    {
        Assert.NotNull(LauncherLocation.BuildOutput(["/usr/bin/dotnet", "/src/Tsgb.Interactive/bin/Release/net10.0/tsgb.dll", "kernel"]));
        Assert.Null(LauncherLocation.BuildOutput(["/home/u/.dotnet/tools/tsgb", "kernel", "start", "{connection_file}"]));
        Assert.Null(LauncherLocation.BuildOutput(["/usr/bin/dotnet", "/home/u/.dotnet/tools/.store/tsgb/0.1.0/tsgb/0.1.0/tools/net10.0/any/tsgb.dll"]));
    }

    [Fact]
    public void AKernelInATemporaryFolderIsRefusedUnlessAllowed()
    {
        var temporary = Path.Combine(_root, "tmp");
        var command = Path.Combine(temporary, "tools", "tsgb");
        var spec = new KernelSpec([command, "kernel", "start", "{connection_file}"], "C# (Tsgb)", "csharp");
        var prefix = Path.Combine(_root, "prefix");
        var location = KernelSpecLocation.Prefix(prefix);

        var error = Assert.Throws<TsgbInputException>(() => KernelInstaller.Install(spec, location, "tsgb-csharp", false, [temporary]));
        Assert.Contains(command, error.Message);
        Assert.Contains("--allow-temporary", error.Message);
        Assert.False(Directory.Exists(location.KernelsDirectory));

        var folder = KernelInstaller.Install(spec, location, "tsgb-csharp", allowTemporary: true, [temporary]);
        var argv = JsonNode.Parse(File.ReadAllText(Path.Combine(folder, "kernel.json")))!["argv"]!.AsArray();
        Assert.Equal(command, (string?)argv[0]);
    }

    public void Dispose()
    {
        try { Directory.Delete(_root, recursive: true); } catch (IOException) { }
    }
}
