using TsgbKit.Errors;
using TsgbKit.Metrics;
using TorchSharp;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;
using Sequential = TorchSharp.Modules.Sequential;

namespace TsgbKit.Tests.Metrics;

public class ModelRandomizationTests
{
    public ModelRandomizationTests() => TsgbKit.Native.TorchNative.EnsureLoaded();

    static Sequential TinyModel() => Sequential(
        ("conv", Conv2d(3, 6, 3, padding: 1)),
        ("relu", ReLU()),
        ("conv2", Conv2d(6, 6, 3, padding: 1)),
        ("relu2", ReLU()),
        ("pool", AdaptiveAvgPool2d(1)),
        ("flat", Flatten()),
        ("fc", Linear(6, 3)));

    /// <summary>Gradient saliency: |∂ output[c] / ∂ input| summed over channels, H×W.</summary>
    static Tensor Gradient(Sequential model, Tensor input, int c)
    {
        var x = input.detach().clone().requires_grad_(true);
        model.forward(x)[0, c].backward();
        return x.grad!.abs().sum(1).squeeze(0).detach();
    }

    static bool Same(Tensor a, Tensor b) => a.shape.SequenceEqual(b.shape) && a.eq(b).all().item<bool>();

    static List<(Tensor, int)> Samples() =>
        Enumerable.Range(0, 3).Select(i => (torch.randn(1, 3, 10, 10, generator: new Generator((ulong)(i + 1))), i % 3)).ToList();

    [Fact]
    public void TheUsersModelIsLeftUnchanged()
    {
        using var scope = torch.NewDisposeScope();
        torch.manual_seed(1);
        var model = TinyModel();
        model.eval();
        var probe = torch.randn(2, 3, 10, 10, generator: new Generator(99));
        var before = model.forward(probe).detach().clone();
        var parameters = model.named_parameters().Select(p => (p.name, p.parameter.detach().clone())).ToList();

        var sawOriginal = false;
        var result = ModelRandomization.Run(model, TinyModel, ["fc", "conv2", "conv"],
            (m, x, c) => { sawOriginal |= ReferenceEquals(m, model); return Gradient(m, x, c); }, Samples());

        Assert.False(sawOriginal, "the explainer must only see the copy");
        Assert.True(Same(model.forward(probe), before), "the model's outputs changed");
        foreach (var (name, value) in parameters)
            Assert.True(Same(model.get_parameter(name)!, value), $"parameter {name} changed");
        Assert.False(model.training); // mode kept
        Assert.Equal(new[] { "fc", "conv2", "conv" }, result.Steps.Select(s => s.Layer));
    }

    [Fact]
    public void ModelIndependentMapsStayCorrelatedAndGradientsDecorrelate()
    {
        using var scope = torch.NewDisposeScope();
        torch.manual_seed(2);
        var model = TinyModel();
        // a map that ignores the model (the input's edge-like magnitude) fails the check: correlation 1 at every step
        var blind = ModelRandomization.Run(model, TinyModel, ["fc", "conv2", "conv"], (m, x, c) => x[0].abs().sum(new long[] { 0 }), Samples());
        Assert.All(blind.Steps, s => Assert.Equal(1.0, s.SpearmanAbsolute, 9));

        var gradient = ModelRandomization.Run(model, TinyModel, ["fc", "conv2", "conv"], Gradient, Samples());
        Assert.True(gradient.Steps[^1].SpearmanAbsolute < 0.95, gradient.ToString());
        Assert.All(gradient.Steps, s => Assert.InRange(s.SpearmanAbsolute, -1, 1));
    }

    [Fact]
    public void ReinitializeLayerChangesOnlyThatLayer()
    {
        using var scope = torch.NewDisposeScope();
        var model = TinyModel();
        var conv = model.get_parameter("conv.weight")!.detach().clone();
        var fc = model.get_parameter("fc.weight")!.detach().clone();
        var fcBias = model.get_parameter("fc.bias")!.detach().clone();
        ModelRandomization.ReinitializeLayer(model, "fc", new Generator(5));
        Assert.True(Same(model.get_parameter("conv.weight")!, conv));
        Assert.False(Same(model.get_parameter("fc.weight")!, fc));
        Assert.False(Same(model.get_parameter("fc.bias")!, fcBias));
        Assert.True(model.get_parameter("fc.weight")!.abs().max().item<float>() <= 1 / Math.Sqrt(6) + 1e-6);
        Assert.Throws<TsgbInputException>(() => ModelRandomization.ReinitializeLayer(model, "nope"));
    }
}
