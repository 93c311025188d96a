using System.IO.Compression;
using TorchSharp;
using TsgbKit.Labels;
using TsgbKit.Models;
using TsgbKit.Tensors;
using TsgbKit.Weights;
using static TorchSharp.torch;

namespace TsgbKit.Tests.Weights;

/// <summary>
/// PyTorch checkpoints as researchers have them, written by PyTorch 1.13 (tests/python/make_pth_fixtures.py):
/// a plain state dict, a training checkpoint, DataParallel keys, the legacy format; logits against PyTorch's.
/// </summary>
public class PyTorchCheckpointTests
{
    /// <summary>tsgb_ref.tiny_resnet: torchvision's ResNet names, basic blocks, BatchNorm.</summary>
    static Classifier TinyResNet(int classes = 5, int[]? blocks = null, int[]? planes = null) =>
        new(new ResNet(bottleneck: false, blocks ?? [1, 1], planes ?? [8, 16], numClasses: classes, stemKernel: 3),
            "tiny_resnet", new LabelSet(Enumerable.Range(0, classes).Select(i => $"c{i}")));

    /// <summary>tsgb_ref.TinyVGG: torchvision's VGG names.</summary>
    static Classifier TinyVgg() =>
        new(new Vgg(nn.Sequential(
                ("0", nn.Conv2d(3, 8, 3, padding: 1)), ("1", nn.BatchNorm2d(8)), ("2", nn.ReLU()), ("3", nn.MaxPool2d(2, 2)),
                ("4", nn.Conv2d(8, 16, 3, padding: 1)), ("5", nn.BatchNorm2d(16)), ("6", nn.ReLU()), ("7", nn.AvgPool2d(2, 2)),
                ("8", nn.Conv2d(16, 16, 3, stride: 2, padding: 1)), ("9", nn.BatchNorm2d(16)), ("10", nn.ReLU())),
            16, numClasses: 5, pooledSize: 2, hidden: 32),
            "tiny_vgg", new LabelSet(["a", "b", "c", "d", "e"]));

    static void AssertLogitsMatchPyTorch(Classifier model, string net)
    {
        using var scope = NewDisposeScope();
        var logits = model.Logits(Npy.Read(Fixtures.PyTorch($"{net}_input.npy")));
        var expected = Npy.Read(Fixtures.PyTorch($"{net}_logits.npy"));
        Assert.Equal(expected.shape, logits.shape);
        var scale = expected.abs().max().item<float>();
        var diff = (expected - logits).abs().max().item<float>();
        Assert.True(scale > 0.05, $"{net}: logits too small to compare ({scale})");
        Assert.True(diff <= 1e-5 * scale, $"{net}: max |diff| {diff:g3} > 1e-5 × max |logit| {scale:g3}");
    }

    static bool Same(Tensor a, Tensor b) => a.shape.SequenceEqual(b.shape) && a.dtype == b.dtype && a.eq(b).all().item<bool>();

    static Dictionary<string, float[]> Snapshot(nn.Module model) =>
        model.state_dict().ToDictionary(p => p.Key, p => p.Value.to_type(ScalarType.Float32).data<float>().ToArray());

    [Theory]
    [InlineData("tiny_resnet.pth", "a state dict of 38 tensors", null)]
    [InlineData("tiny_resnet_checkpoint.pth.tar", "a dict with keys epoch, arch, state_dict, optimizer, best_acc1", "used 'state_dict' (38 tensors)")]
    [InlineData("tiny_resnet_dataparallel.pt", "a state dict of 38 tensors", "removed the prefix 'module.' (DataParallel) from every key")]
    public void EachCheckpointShapeLoadsAndGivesPyTorchsLogits(string file, string found, string? used)
    {
        using var model = TinyResNet();
        var path = Fixtures.PyTorch(file);

        var result = StateDict.Load(model.Module, path);

        Assert.Empty(result.Missing);
        Assert.Empty(result.Unexpected);
        Assert.Empty(result.SkippedIntegerBuffers);
        Assert.Equal(38, result.Loaded.Count);
        Assert.Equal(100L, model.Module.state_dict()["bn1.num_batches_tracked"].item<long>()); // int64 buffers come through
        AssertLogitsMatchPyTorch(model, "tiny_resnet");

        var description = WeightsFile.Describe(path);
        Assert.StartsWith("PyTorch checkpoint (zip format): " + found, description);
        if (used is not null) Assert.Contains(used, description);
        else Assert.DoesNotContain("used", description);
    }

    [Fact]
    public void LegacyFormatNestedUnderModelLoadsAndGivesPyTorchsLogits()
    {
        using var model = TinyVgg();
        var path = Fixtures.PyTorch("tiny_vgg_legacy.pth");

        StateDict.Load(model.Module, path);

        AssertLogitsMatchPyTorch(model, "tiny_vgg");
        using var file = WeightsFile.Open(path);
        Assert.Equal(WeightsFormat.PyTorchLegacy, file.Format);
        Assert.Equal("PyTorch checkpoint (legacy format, before PyTorch 1.6): a dict with keys model, epoch; used 'model' (27 tensors)", file.Description);
    }

    [Fact]
    public void TheThreeShapesHoldTheSameTensorsWithTheirTypes()
    {
        using var scope = NewDisposeScope();
        using var plain = WeightsFile.Open(Fixtures.PyTorch("tiny_resnet.pth"));
        var reference = plain.ReadAll();
        foreach (var other in new[] { "tiny_resnet_checkpoint.pth.tar", "tiny_resnet_dataparallel.pt" })
        {
            using var file = WeightsFile.Open(Fixtures.PyTorch(other));
            Assert.Equal(plain.Names, file.Names);
            var tensors = file.ReadAll();
            foreach (var (name, tensor) in reference)
            {
                Assert.Equal(tensor.dtype, tensors[name].dtype);
                Assert.True(Same(tensor, tensors[name]), $"{other}: '{name}' differs from the plain state dict's");
            }
        }
        Assert.Equal(ScalarType.Int64, reference["layer1.0.bn1.num_batches_tracked"].dtype);
        Assert.Equal(ScalarType.Float32, reference["fc.weight"].dtype);
        Assert.True(plain.TryGetShape("conv1.weight", out var shape));
        Assert.Equal(new long[] { 8, 3, 3, 3 }, shape);
    }

    [Fact]
    public void TheFormatComesFromTheContentNotTheExtension()
    {
        using var folder = new TempFolder();
        var pthNamedSafetensors = folder.File("weights.safetensors");
        File.Copy(Fixtures.PyTorch("tiny_resnet.pth"), pthNamedSafetensors);
        var safetensorsNamedPth = folder.File("weights.pth");
        File.Copy(Fixtures.Io("tiny_cnn.safetensors"), safetensorsNamedPth);

        Assert.Equal(WeightsFormat.PyTorchZip, WeightsFormats.Detect(pthNamedSafetensors));
        Assert.Equal(WeightsFormat.SafeTensors, WeightsFormats.Detect(safetensorsNamedPth));
        using var model = TinyResNet();
        StateDict.Load(model.Module, pthNamedSafetensors);
        AssertLogitsMatchPyTorch(model, "tiny_resnet");
        Assert.Equal("safetensors: 9 tensors", WeightsFile.Describe(safetensorsNamedPth));
    }

    [Fact]
    public void ShapeMismatchNamesTheFileTheKeyAndBothShapesAndChangesNothing()
    {
        using var model = TinyResNet(classes: 4);
        var before = Snapshot(model.Module);
        var path = Fixtures.PyTorch("tiny_resnet_checkpoint.pth.tar");

        var error = Assert.Throws<WeightsException>(() => StateDict.Load(model.Module, path));

        Assert.Contains(path, error.Message);
        Assert.Contains("'fc.weight': the model expects shape [4, 16], the file has [5, 16]", error.Message);
        Assert.Contains("'fc.bias': the model expects shape [4], the file has [5]", error.Message);
        Assert.Equal(before, Snapshot(model.Module));
    }

    [Fact]
    public void MissingAndUnexpectedKeysAreNamed()
    {
        var path = Fixtures.PyTorch("tiny_resnet_dataparallel.pt");
        using (var deeper = TinyResNet(blocks: [1, 1, 1], planes: [8, 16, 16]))
        {
            var error = Assert.Throws<WeightsException>(() => StateDict.Load(deeper.Module, path));
            Assert.Contains(path, error.Message);
            Assert.Contains("missing from the file: layer3.0.conv1.weight", error.Message);
        }
        using (var shallower = TinyResNet(blocks: [1], planes: [8]))
        {
            var error = Assert.Throws<WeightsException>(() => StateDict.Load(shallower.Module, path));
            Assert.Contains("unknown to the model: layer2.0.conv1.weight", error.Message); // named without 'module.'
        }
    }

    [Fact]
    public void AFileOfAnotherArchitectureIsNamedAsSuch()
    {
        var path = Fixtures.PyTorch("tiny_resnet.pth");

        var error = Assert.Throws<WeightsException>(() => Zoo.Load("resnet18", path));
        Assert.Contains(path, error.Message);
        Assert.Contains("'conv1.weight': the model expects shape [64, 3, 7, 7], the file has [8, 3, 3, 3]", error.Message);

        var vgg = Assert.Throws<WeightsException>(() => Zoo.Load("vgg16", path));
        Assert.Contains("no 2-D 'classifier.6.weight', so it is not a torchvision vgg16", vgg.Message);
    }

    [Theory]
    [InlineData("tiny_resnet.pth")]
    [InlineData("tiny_vgg_legacy.pth")]
    public void ATruncatedFileIsOneClearError(string fixture)
    {
        using var folder = new TempFolder();
        var bytes = File.ReadAllBytes(Fixtures.PyTorch(fixture));
        foreach (var keep in new[] { bytes.Length / 2, bytes.Length - 40, 300 })
        {
            var path = folder.File($"cut-{keep}.pth");
            File.WriteAllBytes(path, bytes[..keep]);
            var error = Assert.Throws<WeightsException>(() => WeightsFile.Open(path).Dispose());
            Assert.Contains(path, error.Message);
            Assert.Contains("truncated", error.Message);
        }
    }

    [Fact]
    public void AMissingStorageRecordIsNamed()
    {
        using var folder = new TempFolder();
        var path = folder.File("holed.pth");
        using (var source = ZipFile.OpenRead(Fixtures.PyTorch("tiny_resnet.pth")))
        using (var target = ZipFile.Open(path, ZipArchiveMode.Create))
            foreach (var entry in source.Entries.Where(e => e.FullName != "tiny_resnet/data/3"))
            {
                using var data = entry.Open();
                using var copy = new MemoryStream();
                data.CopyTo(copy);
                TorchSaveWriter.Add(target, entry.FullName, copy.ToArray());
            }
        using var model = TinyResNet();

        var error = Assert.Throws<WeightsException>(() => StateDict.Load(model.Module, path));
        Assert.Contains("lacks the record data/3", error.Message);
    }

    [Fact]
    public void ACorruptPickleIsOneClearError()
    {
        using var folder = new TempFolder();
        var path = folder.File("corrupt.pth");
        var whole = new PickleBuilder().Proto().EmptyDict().Mark().Str("w").ToArray();
        TorchSaveWriter.WriteRaw(path, whole[..^2]); // the string's last bytes are gone

        var error = Assert.Throws<WeightsException>(() => WeightsFile.Open(path));
        Assert.Contains(path, error.Message);
        Assert.Contains("data.pkl", error.Message);
        Assert.Contains("corrupt", error.Message);
    }

    [Fact]
    public void AStridedTensorIsReadAsItsView()
    {
        using var scope = NewDisposeScope();
        using var folder = new TempFolder();
        var path = folder.File("strided.pth");
        var pickle = new PickleBuilder().Proto().EmptyDict().Mark()
            .Str("transposed").Tensor("FloatStorage", "0", 6, 0, [3, 2], [1, 3])
            .Str("shared.tail").Tensor("FloatStorage", "0", 6, 4, [2], [1])
            .Str("half").Tensor("HalfStorage", "1", 2, 0, [2], [1])
            .Str("double").Tensor("DoubleStorage", "2", 1, 0, [], [])
            .Str("int").Tensor("IntStorage", "3", 2, 1, [1], [1])
            .Str("flags").Tensor("BoolStorage", "4", 3, 0, [3], [1])
            .SetItems().Stop().ToArray();
        float[] values = [0, 1, 2, 3, 4, 5];
        byte[] halves = [.. BitConverter.GetBytes((Half)1.5), .. BitConverter.GetBytes((Half)(-2))];
        TorchSaveWriter.WriteRaw(path, pickle, ("0", values.SelectMany(BitConverter.GetBytes).ToArray()), ("1", halves),
            ("2", BitConverter.GetBytes(-0.25)), ("3", [.. BitConverter.GetBytes(7), .. BitConverter.GetBytes(-9)]), ("4", [1, 0, 1]));

        using var file = WeightsFile.Open(path);
        var tensors = file.ReadAll();

        Assert.Equal(new float[] { 0, 3, 1, 4, 2, 5 }, tensors["transposed"].data<float>().ToArray());
        Assert.Equal(new long[] { 3, 2 }, tensors["transposed"].shape);
        Assert.True(tensors["transposed"].is_contiguous());
        Assert.Equal(new float[] { 4, 5 }, tensors["shared.tail"].data<float>().ToArray());
        Assert.Equal(new float[] { 1.5f, -2f }, tensors["half"].data<float>().ToArray());
        Assert.Equal(-0.25f, tensors["double"].item<float>());     // floating point is read as float32
        Assert.Equal(ScalarType.Int32, tensors["int"].dtype);       // integers keep their type
        Assert.Equal(new[] { -9 }, tensors["int"].data<int>().ToArray());
        Assert.Equal(new[] { true, false, true }, tensors["flags"].data<bool>().ToArray());
    }

    [Fact]
    public void ATensorReachingBeyondItsStorageIsRefused()
    {
        using var folder = new TempFolder();
        var path = folder.File("overreach.pth");
        var pickle = new PickleBuilder().Proto().EmptyDict().Mark()
            .Str("w").Tensor("FloatStorage", "0", 6, 2, [3, 2], [2, 1])
            .SetItems().Stop().ToArray();
        TorchSaveWriter.WriteRaw(path, pickle, ("0", new byte[24]));

        var error = Assert.Throws<WeightsException>(() => WeightsFile.Open(path));
        Assert.Equal("w", error.Key);
        Assert.Contains("reaches beyond its storage of 6 elements", error.Message);
    }

    [Fact]
    public void AShapeWhoseExtentOverflowsIsRefusedNotRead()
    {
        using var folder = new TempFolder();
        var path = folder.File("overflow.pth");
        var pickle = new PickleBuilder().Proto().EmptyDict().Mark()
            .Str("w").Tensor("FloatStorage", "0", 6, 0, [1L << 40, 1L << 40], [1L << 30, 1L << 30])
            .SetItems().Stop().ToArray();
        TorchSaveWriter.WriteRaw(path, pickle, ("0", new byte[24]));

        var error = Assert.Throws<WeightsException>(() => WeightsFile.Open(path));
        Assert.Contains("reaches beyond its storage", error.Message);
        Assert.Equal("w", error.Key);
    }

    [Fact]
    public void ACheckpointWithoutAStateDictListsItsKeys()
    {
        using var folder = new TempFolder();
        var path = folder.File("no-weights.pth");
        TorchSaveWriter.WriteRaw(path, new PickleBuilder().Proto().EmptyDict().Mark()
            .Str("epoch").Int(3).Str("model").Str("resnet50").SetItems().Stop().ToArray());

        var error = Assert.Throws<WeightsException>(() => WeightsFile.Open(path));
        Assert.Contains("a dict with keys epoch, model", error.Message);
        Assert.Contains("none of 'state_dict', 'model', 'model_state_dict', 'net' is a state dict", error.Message);
    }

    [Fact]
    public void TheWriterUsedByOtherTestsRoundTripsThroughTheReader()
    {
        using var scope = NewDisposeScope();
        using var folder = new TempFolder();
        using var source = WeightsFile.Open(Fixtures.PyTorch("tiny_resnet.pth"));
        var tensors = source.ReadAll();
        var path = folder.File("rewritten.pt");
        TorchSaveWriter.Write(path, tensors, nestUnder: "model_state_dict", prefix: "module.");

        using var file = WeightsFile.Open(path);
        Assert.Contains("used 'model_state_dict' (38 tensors); removed the prefix 'module.'", file.Description);
        var back = file.ReadAll();
        foreach (var (name, tensor) in tensors) Assert.True(Same(tensor, back[name]), name);
    }
}
