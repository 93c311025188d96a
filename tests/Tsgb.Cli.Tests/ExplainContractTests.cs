using TsgbKit.Synthetic;
using TsgbKit.Demo;
using TsgbKit.Imaging;
using TsgbKit.Tensors;
using static TorchSharp.torch;

namespace TsgbKit.Cli.Tests;

/// <summary>`tsgb explain` as a contract: the .npy it writes, its exit codes, its one-line errors.</summary>
[Collection(InProcessTorch.Name)]
public class ExplainContractTests
{
    [Fact]
    public void OutWritesTheRawMapTheEngineComputes()
    {
        var output = Weights.Temp("explain-map.npy");
        var run = TsgbProcess.Run("explain", "--model", "scene-resnet", "--weights", Weights.For("scene-resnet"),
            "--scene", "4", "--target", "hexagon", "--method", "tsgb", "--out", output);
        Assert.True(run.ExitCode == 0, run.Stderr);

        var written = Npy.ReadArray(output);
        Assert.Equal(new long[] { 112, 112 }, written.Shape);
        using var model = DemoModels.FromWeights("scene-resnet", Weights.For("scene-resnet"));
        var scene = Scenes.Generate(4);
        var expected = model.Explain(new RgbImage(scene.Width, scene.Height, scene.Rgb)).For("hexagon").With(Tsgb.Conv.And(Tsgb.Fc));
        Assert.Equal(expected.Map, written.Data);
    }

    [Fact]
    public void InputTensorAndPngAreAccepted()
    {
        var input = Weights.Temp("input.npy");
        using (var scene = Scenes.Generate(2).ToTensor()) Npy.Write(input, scene);
        var png = Weights.Temp("overlay.png");
        var run = TsgbProcess.Run("explain", "--model", "scene-vgg", "--weights", Weights.For("scene-vgg"),
            "--input-tensor", input, "--target", "3", "--method", "gradcam", "--png", png);
        Assert.True(run.ExitCode == 0, run.Stderr);
        var image = RgbImage.Load(png);
        Assert.Equal((112, 112), (image.Width, image.Height));
        Assert.Contains("gradcam for 'star' (3)", run.Stdout);
    }

    [Theory]
    [InlineData("--target", "hexagn", "hexagon")]         // unknown label: names it and suggests the near match
    [InlineData("--method", "gradcamm", "unknown method")]
    [InlineData("--target", "12", "0..7")]
    public void BadInputIsOneLineOnStderrAndExitCodeTwo(string option, string value, string expected)
    {
        var run = TsgbProcess.Run("explain", "--model", "scene-vgg", "--weights", Weights.For("scene-vgg"),
            "--scene", "1", option, value, "--out", Weights.Temp("unused.npy"));
        Assert.Equal(2, run.ExitCode);
        Assert.Contains(expected, run.Stderr);
        Assert.Single(run.Stderr.Trim().Split('\n'));
        Assert.DoesNotContain("   at ", run.Stderr); // no stack trace
    }

    [Fact]
    public void WeightsOfAnotherArchitectureNameTheFileAndTheKey()
    {
        var run = TsgbProcess.Run("explain", "--model", "scene-resnet", "--weights", Weights.For("scene-vgg"),
            "--scene", "1", "--out", Weights.Temp("unused.npy"));
        Assert.Equal(2, run.ExitCode);
        Assert.Contains("scene-vgg.safetensors", run.Stderr);
        Assert.Contains("conv1.weight", run.Stderr);
    }

    [Fact]
    public void AMissingImageIsNamed()
    {
        var run = TsgbProcess.Run("explain", "--model", "scene-vgg", "--weights", Weights.For("scene-vgg"),
            "--image", "/nonexistent/cat.jpg", "--out", Weights.Temp("unused.npy"));
        Assert.Equal(2, run.ExitCode);
        Assert.Contains("/nonexistent/cat.jpg", run.Stderr);
    }
}
