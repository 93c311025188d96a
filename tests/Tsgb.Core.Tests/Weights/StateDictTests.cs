using TorchSharp;
using TsgbKit.Tensors;
using TsgbKit.Weights;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace TsgbKit.Tests.Weights;

public class StateDictTests
{
    /// <summary>The same network as make_fixtures.py builds in PyTorch, with the same module names.</summary>
    static Module<Tensor, Tensor> TinyCnn() => Sequential(
        ("features", Sequential(("0", Conv2d(3, 4, 3, padding: 1)), ("1", BatchNorm2d(4)), ("2", ReLU()))),
        ("pool", AdaptiveAvgPool2d(1)),
        ("flatten", Flatten()),
        ("classifier", Linear(4, 2)));

    static Dictionary<string, float[]> Snapshot(Module model) =>
        model.state_dict().ToDictionary(p => p.Key, p => p.Value.to_type(ScalarType.Float32).data<float>().ToArray());

    static void AssertUnchanged(Dictionary<string, float[]> before, Module model)
    {
        var after = Snapshot(model);
        Assert.Equal(before.Keys, after.Keys);
        foreach (var key in before.Keys) Assert.Equal(before[key], after[key]);
    }

    /// <summary>Writes the fixture's tensors, changed by <paramref name="edit"/>, to a new file.</summary>
    static string EditedFixture(TempFolder folder, Action<Dictionary<string, Tensor>> edit)
    {
        using var read = SafeTensors.Read(Fixtures.Io("tiny_cnn.safetensors"));
        var tensors = read.ToDictionary(p => p.Key, p => p.Value);
        edit(tensors);
        var path = folder.File("edited.safetensors");
        SafeTensors.Write(path, tensors);
        return path;
    }

    [Fact]
    public void ModuleNamesMatchPyTorchOneToOne()
    {
        using var scope = NewDisposeScope();
        var model = TinyCnn();
        var header = SafeTensors.ReadHeader(Fixtures.Io("tiny_cnn.safetensors"));
        Assert.Equal(header.Names.Order(StringComparer.Ordinal), model.state_dict().Keys.Order(StringComparer.Ordinal));
    }

    [Fact]
    public void LoadedPyTorchWeightsReproducePyTorchsOutput()
    {
        using var scope = NewDisposeScope();
        var model = TinyCnn();
        var result = StateDict.Load(model, Fixtures.Io("tiny_cnn.safetensors"));
        model.eval();

        Assert.Empty(result.Missing);
        Assert.Empty(result.Unexpected);
        Assert.Contains("classifier.weight", result.Loaded);
        var input = Npy.Read(Fixtures.Io("tiny_cnn_input.npy"));
        var expected = Npy.ReadArray(Fixtures.Io("tiny_cnn_output.npy"));
        using (no_grad())
        {
            var output = model.call(input);
            Assert.Equal(expected.Shape, output.shape);
            var actual = output.data<float>().ToArray();
            for (int i = 0; i < actual.Length; i++) Assert.Equal(expected.Data[i], actual[i], 5);
        }
        Assert.Equal(42L, model.state_dict()["features.1.num_batches_tracked"].item<long>());
    }

    [Fact]
    public void SaveThenLoadIntoAFreshModelCopiesEveryValue()
    {
        using var scope = NewDisposeScope();
        using var folder = new TempFolder();
        var source = TinyCnn();
        using (no_grad()) source.state_dict()["features.1.running_mean"].uniform_(-1, 1);
        var path = folder.File("saved.safetensors");
        StateDict.Save(source, path);

        var target = TinyCnn();
        StateDict.Load(target, path);

        var expected = Snapshot(source);
        AssertUnchanged(expected, target);
        Assert.NotEqual(0f, expected["features.1.running_mean"].Sum());
    }

    [Fact]
    public void MissingKeyIsListedWithTheFileAndTheModelIsUnchanged()
    {
        using var scope = NewDisposeScope();
        using var folder = new TempFolder();
        var path = EditedFixture(folder, t => t.Remove("classifier.bias"));
        var model = TinyCnn();
        var before = Snapshot(model);

        var error = Assert.Throws<WeightsException>(() => StateDict.Load(model, path));

        Assert.Contains(path, error.Message);
        Assert.Contains("classifier.bias", error.Message);
        Assert.Contains("missing", error.Message);
        AssertUnchanged(before, model);
    }

    [Fact]
    public void UnexpectedKeyIsListedWithTheFileAndTheModelIsUnchanged()
    {
        using var scope = NewDisposeScope();
        using var folder = new TempFolder();
        var path = EditedFixture(folder, t => t["head.extra.weight"] = ones(3));
        var model = TinyCnn();
        var before = Snapshot(model);

        var error = Assert.Throws<WeightsException>(() => StateDict.Load(model, path));

        Assert.Contains(path, error.Message);
        Assert.Contains("head.extra.weight", error.Message);
        Assert.Contains("unknown to the model", error.Message);
        AssertUnchanged(before, model);
    }

    [Fact]
    public void ShapeMismatchNamesFileKeyAndBothShapesAndTheModelIsUnchanged()
    {
        using var scope = NewDisposeScope();
        using var folder = new TempFolder();
        var path = EditedFixture(folder, t => t["classifier.weight"] = ones(3, 4));
        var model = TinyCnn();
        var before = Snapshot(model);

        var error = Assert.Throws<WeightsException>(() => StateDict.Load(model, path, strict: false));

        Assert.Contains(path, error.Message);
        Assert.Contains("classifier.weight", error.Message);
        Assert.Contains("[2, 4]", error.Message);
        Assert.Contains("[3, 4]", error.Message);
        Assert.Equal("classifier.weight", error.Key);
        AssertUnchanged(before, model);
    }

    [Fact]
    public void WeightsOfAnotherArchitectureGiveAShortMessageThatStillNamesTheFirstProblems()
    {
        using var scope = NewDisposeScope();
        using var folder = new TempFolder();
        var path = folder.File("resnet18.safetensors");
        using (var resnet18 = TsgbKit.Models.Zoo.Create("resnet18", numClasses: 5)) StateDict.Save(resnet18.Module, path);
        using var resnet50 = TsgbKit.Models.Zoo.Create("resnet50", numClasses: 5);

        var error = Assert.Throws<WeightsException>(() => StateDict.Load(resnet50.Module, path));

        Assert.Contains(path, error.Message);
        Assert.Contains("fc.weight", error.Message);
        Assert.Contains("more problems", error.Message);
        Assert.True(error.Message.Length < 1500, $"message of {error.Message.Length} characters");
    }

    [Fact]
    public void AbsentNumBatchesTrackedIsSkipped()
    {
        using var scope = NewDisposeScope();
        using var folder = new TempFolder();
        var path = EditedFixture(folder, t => t.Remove("features.1.num_batches_tracked"));
        var model = TinyCnn();

        var result = StateDict.Load(model, path);

        Assert.Contains("features.1.num_batches_tracked", result.SkippedIntegerBuffers);
        Assert.Empty(result.Missing);
        Assert.Equal(new[] { 0.1f, -0.2f, 0.3f, 0f }, model.state_dict()["features.1.running_mean"].data<float>().ToArray());
    }

    [Fact]
    public void NonStrictLoadReportsMissingAndUnexpectedAndLoadsTheRest()
    {
        using var scope = NewDisposeScope();
        using var folder = new TempFolder();
        var path = EditedFixture(folder, t =>
        {
            t.Remove("classifier.bias");
            t["other.weight"] = ones(2);
        });
        var model = TinyCnn();
        var biasBefore = model.state_dict()["classifier.bias"].data<float>().ToArray();

        var result = StateDict.Load(model, path, strict: false);

        Assert.Equal(new[] { "classifier.bias" }, result.Missing);
        Assert.Equal(new[] { "other.weight" }, result.Unexpected);
        Assert.Equal(biasBefore, model.state_dict()["classifier.bias"].data<float>().ToArray());
        Assert.Equal(new[] { 1.1f, 0.9f, 1.2f, 0.7f }, model.state_dict()["features.1.weight"].data<float>().ToArray());
    }

    [Fact]
    public void LoadsFromAnInMemoryDictionaryWithTheSameRules()
    {
        using var scope = NewDisposeScope();
        using var read = SafeTensors.Read(Fixtures.Io("tiny_cnn.safetensors"));
        var tensors = read.ToDictionary(p => p.Key, p => p.Value);
        tensors["classifier.bias"] = zeros(5);
        var model = TinyCnn();

        var error = Assert.Throws<WeightsException>(() => StateDict.Load(model, tensors, source: "hub:tiny"));
        Assert.Contains("hub:tiny", error.Message);
        Assert.Contains("[2]", error.Message);
        Assert.Contains("[5]", error.Message);
    }

    [Fact]
    public void HalfPrecisionFileLoadsIntoAFloatModel()
    {
        using var scope = NewDisposeScope();
        using var folder = new TempFolder();
        var source = TinyCnn();
        var path = folder.File("half.safetensors");
        StateDict.Save(source, path, SafeTensorsDType.F16);
        var target = TinyCnn();

        StateDict.Load(target, path);

        var a = source.state_dict()["features.0.weight"];
        var b = target.state_dict()["features.0.weight"];
        Assert.Equal(ScalarType.Float32, b.dtype);
        Assert.True((a - b).abs().max().item<float>() < 1e-3f);
    }
}
