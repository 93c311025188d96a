using TsgbKit.Synthetic;
using System.Diagnostics;
using TsgbKit.Interactive.Tests.Support;
using Xunit.Abstractions;

namespace TsgbKit.Interactive.Tests;

/// <summary>The kernel process answering C# cells and #!tsgb magics over the Jupyter protocol.</summary>
[Collection("kernel")]
public sealed class KernelExecutionTests(KernelFixture kernel, ITestOutputHelper log)
{
    private static readonly byte[] PngSignature = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A];

    [Fact]
    public void FirstCellAfterColdStartReturnsTwo()
    {
        log.WriteLine($"cold start to the result of 1+1: {kernel.ColdStart.TotalSeconds:0.0} s");
        Assert.Equal("ok", kernel.FirstCell.Status);
        Assert.Equal("2", kernel.FirstCell.ResultText);
    }

    [Fact]
    public void KernelInfoNamesTheTsgbKernel()
    {
        Assert.Equal("tsgb-csharp", (string?)kernel.KernelInfo["implementation"]);
        Assert.Contains("tsgb-csharp", (string?)kernel.KernelInfo["banner"]);
        Assert.Equal("csharp", (string?)kernel.KernelInfo["language_info"]?["name"]);
        Assert.Equal(".cs", (string?)kernel.KernelInfo["language_info"]?["file_extension"]);
    }

    [Fact]
    public void KernelLogsTheLibTorchConfigurationAndPrintsNothingFromLibTorch()
    {
        Assert.Equal("ok", kernel.Execute("#!tsgb explain --model scene-vgg --scene 1 --target circle").Status); // convolutions ran
        var log = kernel.Kernel.Stderr;
        Assert.Single(log.Split('\n'), l => l.Contains(" info] libtorch CPU: ") && l.Contains("probes within"));
        Assert.DoesNotContain("NNPACK.cpp", log);
        Assert.All(log.Split('\n', StringSplitOptions.RemoveEmptyEntries), l => Assert.StartsWith("[tsgb-jupyter ", l));
    }

    [Fact]
    public void DoctorMagicShowsTheSelfCheck()
    {
        var doctor = kernel.Execute("#!tsgb doctor");
        Assert.True(doctor.Status == "ok", doctor.ToString());
        Assert.Contains("numerics self-check", doctor.StreamText);
        Assert.Contains("ok: maps are computed with ", doctor.StreamText);
    }

    [Fact]
    public void StateCarriesAcrossCells()
    {
        Assert.Equal("ok", kernel.Execute("var answer = 6 * 7;").Status);
        Assert.Equal("42", kernel.Execute("answer").ResultText);
    }

    [Fact]
    public void ExplainMagicDisplaysAnOverlayAndBindsTheExplanation()
    {
        var watch = Stopwatch.StartNew();
        var explain = kernel.Execute($"#!tsgb explain --model scene-vgg --weights \"{kernel.WeightsFile}\" --scene 1 --target circle --as e");
        log.WriteLine($"#!tsgb explain (loads the model): {watch.Elapsed.TotalSeconds:0.00} s");
        Assert.True(explain.Status == "ok", explain.ToString());
        var display = Assert.Single(explain.Of("display_data"));
        var png = Convert.FromBase64String((string)display.Content["data"]!["image/png"]!);
        Assert.Equal(PngSignature, png[..8]);
        Assert.Contains("'circle'", (string)display.Content["data"]!["text/plain"]!);

        var bound = kernel.Execute("e.TargetName");
        Assert.Equal("ok", bound.Status);
        Assert.Equal("circle", bound.ResultText);
        Assert.Equal("TsgbKit.Explain.Explanation", kernel.Execute("e.GetType().FullName").ResultText);
    }

    [Fact]
    public void ModelStaysLoadedForLaterCommands()
    {
        Assert.Equal("ok", kernel.Execute($"#!tsgb explain --model scene-vgg --weights \"{kernel.WeightsFile}\" --scene 2 --target square").Status);
        var watch = Stopwatch.StartNew();
        var warm = kernel.Execute("#!tsgb explain --scene 3 --target top --method tsgb");
        log.WriteLine($"#!tsgb explain on a warm kernel (session model): {watch.Elapsed.TotalSeconds:0.00} s");
        Assert.True(warm.Status == "ok", warm.ToString());
        Assert.Contains(warm.Bundles, b => b.ContainsKey("image/png"));
    }

    [Fact]
    public void BoundVariableIsUsableInTheRestOfTheSameCell()
    {
        var result = kernel.Execute($"#!tsgb explain --model scene-vgg --weights \"{kernel.WeightsFile}\" --scene 4 --target top:2 --as best\nbest.Count");
        Assert.True(result.Status == "ok", result.ToString());
        Assert.Equal("2", result.ResultText);
        Assert.Single(result.Of("display_data")); // one grid for the two targets
    }

    [Fact]
    public void UnknownLabelIsOneReadableError()
    {
        var result = kernel.Execute($"#!tsgb explain --model scene-vgg --weights \"{kernel.WeightsFile}\" --scene 1 --target pentagonx");
        Assert.Equal("error", result.Status);
        var error = Assert.Single(result.Of("error"));
        Assert.Contains("pentagonx", (string)error.Content["evalue"]!);
        var traceback = string.Join("\n", error.Content["traceback"]!.AsArray().Select(l => (string)l!));
        Assert.DoesNotContain("   at ", traceback);
        Assert.DoesNotContain(result.IOPub, m => m.MsgType is "display_data" or "execute_result");
    }

    [Fact]
    public void ParseErrorIsOneReadableErrorWithAHint()
    {
        var result = kernel.Execute("#!tsgb explain --scene 1 --bogus-option");
        Assert.Equal("error", result.Status);
        var error = Assert.Single(result.Of("error"));
        Assert.Contains("--bogus-option", (string)error.Content["evalue"]!);
        Assert.Contains("#!tsgb explain --help", (string)error.Content["evalue"]!);
        Assert.DoesNotContain("   at ", string.Join("\n", error.Content["traceback"]!.AsArray().Select(l => (string)l!)));
    }

    [Theory]
    [InlineData("#!tsgb --help", "explain")]
    [InlineData("#!tsgb", "explain")]
    [InlineData("#!tsgb help", "kernel")]
    [InlineData("#!tsgb explain --help", "--target")]
    [InlineData("#!tsgb help explain", "--method")]
    public void HelpIsPlainOutput(string line, string expected)
    {
        var result = kernel.Execute(line);
        Assert.Equal("ok", result.Status);
        Assert.Empty(result.Of("error"));
        Assert.Contains(expected, result.StreamText);
        Assert.Contains("Usage:", result.StreamText);
    }

    [Fact]
    public void KernelStartIsRefusedInACell()
    {
        var result = kernel.Execute("#!tsgb kernel start connection.json");
        Assert.Equal("error", result.Status);
        Assert.Contains("not for a cell", (string)Assert.Single(result.Of("error")).Content["evalue"]!);
    }

    [Fact]
    public void SceneShowsAsImageWithItsClasses()
    {
        var result = kernel.Execute("Scenes.Generate(3)");
        Assert.Equal("ok", result.Status);
        var data = Assert.Single(result.Bundles);
        Assert.True(data.ContainsKey("image/png"));
        Assert.StartsWith("Scene 3 (", (string)data["text/plain"]!);
    }

    [Fact]
    public void LayerStatisticsShowAsAnHtmlTableWithoutScriptsOrJson()
    {
        var result = kernel.Execute($"var s5 = Scenes.Generate(5);\n" +
            $"DemoModels.FromWeights(\"scene-vgg\", @\"{kernel.WeightsFile}\").Explain(new RgbImage(s5.Width, s5.Height, s5.Rgb))" +
            ".For(\"ring\").With(Tsgb.Conv.And(Tsgb.Fc)).Statistics");
        Assert.True(result.Status == "ok", result.ToString());
        var data = Assert.Single(result.Bundles);
        var html = (string)data["text/html"]!;
        Assert.Contains("<table", html);
        Assert.Contains("rows ×", html);
        Assert.Contains("<small>Double</small>", html); // column types
        Assert.DoesNotContain("<script", html);
        Assert.False(data.ContainsKey("application/json"));
        Assert.True(data.ContainsKey("text/plain"));
    }
}
