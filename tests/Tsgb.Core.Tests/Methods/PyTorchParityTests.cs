using System.Text.Json;
using TorchSharp;
using TsgbKit.Labels;
using TsgbKit.Methods;
using TsgbKit.Models;
using TsgbKit.Tensors;
using TsgbKit.Weights;
using static TorchSharp.torch;

namespace TsgbKit.Tests.Methods;

/// <summary>
/// Every method against an independent PyTorch computation (tests/python/make_fixtures.py, torch 1.13) on two small
/// random-weight nets with BatchNorm: max |diff| ≤ 1e-4 × max |expected| for each map.
/// </summary>
public class PyTorchParityTests
{
    private static readonly string Folder = Path.Combine(AppContext.BaseDirectory, "fixtures", "parity");

    public static TheoryData<string, string> Cases()
    {
        var data = new TheoryData<string, string>();
        using var manifest = JsonDocument.Parse(File.ReadAllText(Path.Combine(Folder, "manifest.json")));
        foreach (var net in new[] { "tiny_vgg", "tiny_resnet" })
            foreach (var method in manifest.RootElement.GetProperty("methods").EnumerateArray())
                data.Add(net, method.GetString()!);
        return data;
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void MapsMatchPyTorch(string net, string method)
    {
        using var scope = NewDisposeScope();
        var model = Load(net);
        var input = Npy.Read(Path.Combine(Folder, $"{net}_input.npy"));
        var expected = Npy.Read(Path.Combine(Folder, $"{net}_{method}.npy"));
        long[] targets = [1, 3];

        // one image for both targets (the engine's shared-forward path) and one row per target must both match
        using var shared = Create(net, method).Attribute(model, input, targets);
        using var rows = Create(net, method).Attribute(model, input.expand(2, -1, -1, -1), targets);
        AssertClose(expected, shared.Maps, $"{net} {method} (one image, two targets)");
        AssertClose(expected, rows.Maps, $"{net} {method} (one row per target)");
    }

    [Theory]
    [InlineData("tiny_vgg")]
    [InlineData("tiny_resnet")]
    public void LogitsMatchPyTorch(string net)
    {
        using var scope = NewDisposeScope();
        var model = Load(net);
        var logits = model.Logits(Npy.Read(Path.Combine(Folder, $"{net}_input.npy")));
        AssertClose(Npy.Read(Path.Combine(Folder, $"{net}_logits.npy")), logits, $"{net} logits");
    }

    private static SaliencyMethod Create(string net, string method)
    {
        string first = net == "tiny_vgg" ? "features.6" : "layer1", last = net == "tiny_vgg" ? "features.10" : "layer2";
        return method switch
        {
            "tsgb_fc_beta08" => MethodCatalog.Create("tsgb", new MethodSettings { Beta = 0.8 }),
            "normgrad_combined" => new NormGrad([first, last]),
            "integrated_gradients" => new IntegratedGradients(steps: 16),
            "gradcampp" => new GradCamPlusPlus(last),
            "gradcam" => new GradCam(last),
            "guided_gradcam" => new GuidedGradCam(last),
            "normgrad" or "normgrad_selective" => new NormGrad(last, selective: method.EndsWith("selective")),
            _ => MethodCatalog.Create(method.Replace('_', '-')),
        };
    }

    private static Classifier Load(string net)
    {
        nn.Module<Tensor, Tensor> module = net == "tiny_vgg"
            ? new Vgg(nn.Sequential(
                ("0", nn.Conv2d(3, 8, 3, padding: 1)), ("1", nn.BatchNorm2d(8)), ("2", nn.ReLU()), ("3", nn.MaxPool2d(2, 2)),
                ("4", nn.Conv2d(8, 16, 3, padding: 1)), ("5", nn.BatchNorm2d(16)), ("6", nn.ReLU()), ("7", nn.AvgPool2d(2, 2)),
                ("8", nn.Conv2d(16, 16, 3, stride: 2, padding: 1)), ("9", nn.BatchNorm2d(16)), ("10", nn.ReLU())),
                16, numClasses: 5, pooledSize: 2, hidden: 32)
            : new ResNet(bottleneck: false, [1, 1], [8, 16], numClasses: 5, stemKernel: 3);
        StateDict.Load(module, Path.Combine(Folder, $"{net}.safetensors"));
        return new Classifier(module, net, new LabelSet(["a", "b", "c", "d", "e"]));
    }

    private static void AssertClose(Tensor expected, Tensor actual, string what)
    {
        Assert.Equal(expected.shape, actual.shape);
        var scale = expected.abs().max().item<float>();
        var diff = (expected - actual).abs().max().item<float>();
        Assert.True(scale > 0, $"{what}: the expected map is all zero, so the comparison would prove nothing");
        Assert.True(diff <= 1e-4 * scale, $"{what}: max |diff| {diff:g4} > 1e-4 × max |expected| {scale:g4}");
    }
}
