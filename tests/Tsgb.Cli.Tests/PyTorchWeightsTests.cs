using TsgbKit.Tensors;
using TsgbKit.Tests.Weights;
using TsgbKit.Weights;

namespace TsgbKit.Cli.Tests;

/// <summary>`--weights X.pth` and `tsgb convert`: PyTorch checkpoints on the command line, refused ones included.</summary>
public class PyTorchWeightsTests
{
    static string Fixture(string name) => Path.Combine(AppContext.BaseDirectory, "fixtures", "pytorch", name);

    [Fact]
    public void ExplainTakesATrainingCheckpointAsWeightsAndSaysWhatItUsed()
    {
        // the demo weights as a DataParallel training checkpoint: {'epoch': 1, 'state_dict': {'module.…': …}}
        var pth = Weights.Temp("scene-vgg-checkpoint.pth");
        using (var file = WeightsFile.Open(Weights.For("scene-vgg")))
        {
            var tensors = file.ReadAll();
            TorchSaveWriter.Write(pth, tensors, nestUnder: "state_dict", prefix: "module.");
            foreach (var t in tensors.Values) t.Dispose();
        }
        var fromPth = Weights.Temp("map-from-pth.npy");
        var fromSafetensors = Weights.Temp("map-from-safetensors.npy");

        var run = TsgbProcess.Run("explain", "--model", "scene-vgg", "--weights", pth, "--scene", "4", "--target", "circle",
            "--method", "tsgb", "--out", fromPth, "--verbose");
        var reference = TsgbProcess.Run("explain", "--model", "scene-vgg", "--weights", Weights.For("scene-vgg"), "--scene", "4",
            "--target", "circle", "--method", "tsgb", "--out", fromSafetensors);

        Assert.True(run.ExitCode == 0, run.Stderr);
        Assert.True(reference.ExitCode == 0, reference.Stderr);
        Assert.Equal(Npy.ReadArray(fromSafetensors).Data, Npy.ReadArray(fromPth).Data);
        var lines = run.Stderr.Trim().Split('\n');
        Assert.Equal(2, lines.Length); // the libtorch configuration, then the weights
        Assert.Equal($"tsgb: weights {pth}: PyTorch checkpoint (zip format): a dict with keys epoch, state_dict; " +
                     "used 'state_dict' (16 tensors); removed the prefix 'module.' (DataParallel) from every key", lines[1]);
    }

    [Fact]
    public void ConvertWritesTheCheckpointsStateDictAsSafetensors()
    {
        var output = Weights.Temp("converted.safetensors");

        var run = TsgbProcess.Run("convert", Fixture("tiny_resnet_checkpoint.pth.tar"), output);

        Assert.True(run.ExitCode == 0, run.Stderr);
        Assert.Contains("used 'state_dict' (38 tensors)", run.Stdout);
        Assert.Contains($"wrote {output}: 38 tensors, F32", run.Stdout);
        using var converted = SafeTensors.Read(output);
        using var original = WeightsFile.Open(Fixture("tiny_resnet.pth"));
        var expected = original.ReadAll();
        Assert.Equal(expected.Keys.Order(), converted.Keys.Order());
        foreach (var (name, tensor) in expected)
        {
            Assert.Equal(tensor.dtype, converted[name].dtype);
            Assert.True(tensor.eq(converted[name]).all().item<bool>(), name);
            tensor.Dispose();
        }
        Assert.Equal("tiny_resnet_checkpoint.pth.tar", converted.Metadata["converted_from"]);
    }

    [Fact]
    public void AMaliciousCheckpointIsOneLineExitTwoAndRunsNothing()
    {
        const string marker = "/tmp/tsgb-pth-fixture-executed-system";
        if (File.Exists(marker)) File.Delete(marker);
        var output = Weights.Temp("never.safetensors");

        var convert = TsgbProcess.Run("convert", Fixture("malicious_system.pth"), output);
        var explain = TsgbProcess.Run("explain", "--model", "resnet18", "--weights", Fixture("malicious_system.pth"),
            "--scene", "1", "--out", Weights.Temp("never.npy"));

        foreach (var run in new[] { convert, explain })
        {
            Assert.Equal(2, run.ExitCode);
            var line = Assert.Single(run.Stderr.Trim().Split('\n'));
            Assert.StartsWith($"error: Weights file '{Fixture("malicious_system.pth")}': the checkpoint asks for posix.system; only tensors and plain containers are allowed", line);
        }
        Assert.False(File.Exists(marker), "the payload ran");
        Assert.False(File.Exists(output));
    }

    [Fact]
    public void WeightsOfAnotherArchitectureNameTheFileAndTheKey()
    {
        var run = TsgbProcess.Run("model", "resnet18", "--weights", Fixture("tiny_resnet.pth"));

        Assert.Equal(2, run.ExitCode);
        var line = Assert.Single(run.Stderr.Trim().Split('\n'));
        Assert.Contains(Fixture("tiny_resnet.pth"), line);
        Assert.Contains("'conv1.weight': the model expects shape [64, 3, 7, 7], the file has [8, 3, 3, 3]", line);
    }

    [Fact]
    public void ConvertRefusesToWriteAnythingButSafetensors()
    {
        var run = TsgbProcess.Run("convert", Fixture("tiny_resnet.pth"), Weights.Temp("out.pth"));

        Assert.Equal(2, run.ExitCode);
        Assert.Contains("convert writes safetensors", run.Stderr);
    }
}
