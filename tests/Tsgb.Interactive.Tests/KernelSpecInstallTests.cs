using System.Text.Json.Nodes;
using SkiaSharp;
using TsgbKit.Interactive.Commands;
using TsgbKit.Interactive.Tests.Support;

namespace TsgbKit.Interactive.Tests;

/// <summary>`tsgb kernel install|uninstall` into a temporary prefix.</summary>
public sealed class KernelSpecInstallTests : IDisposable
{
    private readonly string _prefix = Directory.CreateTempSubdirectory("tsgb-kernelspec-").FullName;

    private string KernelsDirectory => Path.Combine(_prefix, "share", "jupyter", "kernels");

    private static int Tsgb(params string[] args) => TsgbCommands.Create(new ConsoleSurface()).Parse(args).Invoke();

    [Fact]
    public void InstallWritesAKernelJsonThatStartsThisBuild()
    {
        // --allow-temporary: the clone (and so this build) may itself lie in a temporary folder, as on CI
        Assert.Equal(0, Tsgb("kernel", "install", "--prefix", _prefix, "--allow-temporary"));

        var folder = Path.Combine(KernelsDirectory, "tsgb-csharp");
        var spec = JsonNode.Parse(File.ReadAllText(Path.Combine(folder, "kernel.json")))!.AsObject();
        var argv = spec["argv"]!.AsArray().Select(a => (string)a!).ToArray();
        Assert.Equal(5, argv.Length);
        Assert.Equal("dotnet", Path.GetFileNameWithoutExtension(argv[0]));
        Assert.True(File.Exists(argv[0]), argv[0]);
        Assert.True(Path.IsPathFullyQualified(argv[1]), argv[1]);
        Assert.Equal("tsgb.dll", Path.GetFileName(argv[1]));
        Assert.True(File.Exists(argv[1]), argv[1]);
        Assert.Equal(["kernel", "start", "{connection_file}"], argv[2..]);
        Assert.Equal("C# (Tsgb)", (string?)spec["display_name"]);
        Assert.Equal("csharp", (string?)spec["language"]);
        Assert.Equal("message", (string?)spec["interrupt_mode"]);

        foreach (var size in new[] { 32, 64 })
        {
            using var logo = SKBitmap.Decode(Path.Combine(folder, $"logo-{size}x{size}.png"));
            Assert.NotNull(logo);
            Assert.Equal(size, logo.Width);
            Assert.Equal(size, logo.Height);
        }
    }

    [Fact]
    public void NameAndDisplayNameCanBeChosenAndUninstalled()
    {
        Assert.Equal(0, Tsgb("kernel", "install", "--prefix", _prefix, "--name", "tsgb-dev", "--display-name", "C# (Tsgb dev)", "--allow-temporary"));
        var json = Path.Combine(KernelsDirectory, "tsgb-dev", "kernel.json");
        Assert.Equal("C# (Tsgb dev)", (string?)JsonNode.Parse(File.ReadAllText(json))!["display_name"]);

        Assert.Equal(0, Tsgb("kernel", "uninstall", "--prefix", _prefix, "--name", "tsgb-dev"));
        Assert.False(Directory.Exists(Path.GetDirectoryName(json)));
    }

    [Fact]
    public void TwoLocationsAreRefused()
    {
        Assert.Equal(2, Tsgb("kernel", "install", "--user", "--prefix", _prefix));
        Assert.False(Directory.Exists(KernelsDirectory));
    }

    [Fact]
    public void LogoIsMostlyCSharpPurple()
    {
        using var logo = SKBitmap.Decode(TsgbKit.Interactive.Kernel.KernelLogo.Png(64));
        var corner = logo.GetPixel(8, 56); // inside the rounded square, away from the letters and the spot
        Assert.Equal(new SKColor(0x68, 0x21, 0x7A), corner);
    }

    public void Dispose()
    {
        try { Directory.Delete(_prefix, recursive: true); } catch (IOException) { }
    }
}
