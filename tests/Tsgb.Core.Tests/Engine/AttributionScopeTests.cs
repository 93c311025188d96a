using TsgbKit.Errors;
using TorchSharp;
using TsgbKit.Engine;
using TsgbKit.Methods;
using static TorchSharp.torch;

namespace TsgbKit.Tests.Engine;

public class AttributionScopeTests
{
    [Fact]
    public void TheModelIsUnchangedAfterAnExplanation()
    {
        using var scope = NewDisposeScope();
        var model = TestModels.SmallVgg();
        model.Module.train();
        var requiresGrad = model.Module.parameters().Select(p => p.requires_grad).ToArray();
        var input = TestModels.Input();
        var (outputBefore, gradientBefore) = PlainForwardAndGradient(model, input);
        model.Module.train();

        model.Explain(input).For("dog").With(Tsgb.Conv.And(Tsgb.Fc));
        new GradCam().Attribute(model, input, [1L], statistics: true).Dispose();

        Assert.True(model.Module.training, "training mode restored");
        Assert.Equal(requiresGrad, model.Module.parameters().Select(p => p.requires_grad).ToArray());
        var (outputAfter, gradientAfter) = PlainForwardAndGradient(model, input);
        Assert.True(allclose(outputBefore, outputAfter, rtol: 0, atol: 0), "same outputs");
        Assert.True(allclose(gradientBefore, gradientAfter, rtol: 0, atol: 0), "same plain gradient: no rule or hook left behind");
    }

    private static (Tensor Output, Tensor Gradient) PlainForwardAndGradient(TsgbKit.Models.Classifier model, Tensor input)
    {
        model.Module.eval();
        var x = input.clone().requires_grad_();
        var output = model.Module.call(x);
        output[0, 1].backward();
        return (output.detach(), x.grad!.clone());
    }

    [Fact]
    public void InPlaceReLUsGiveTheSameMapsAsOutOfPlaceOnes()
    {
        using var scope = NewDisposeScope();
        var plain = TestModels.SmallVgg(inPlaceRelu: false);
        var inPlace = TestModels.SmallVgg(inPlaceRelu: true);
        var input = TestModels.Input();
        foreach (var name in new[] { "tsgb", "gradient", "guided-backprop", "deconvnet", "gradcam" })
        {
            var method = MethodCatalog.Create(name);
            using var expected = method.Attribute(plain, input, [2L]);
            using var actual = method.Attribute(inPlace, input, [2L], statistics: true);
            Assert.True(allclose(expected.Maps, actual.Maps, rtol: 1e-5, atol: 1e-7), $"{name}: max diff {(expected.Maps - actual.Maps).abs().max().item<float>()}");
        }
    }

    [Fact]
    public void SeveralTargetsInOneBatchEqualSeparatePasses()
    {
        using var scope = NewDisposeScope();
        var model = TestModels.SmallResNet();
        var input = TestModels.Input(2);
        foreach (var name in new[] { "tsgb", "gradcam++", "normgrad" })
        {
            var method = MethodCatalog.Create(name);
            using var batched = method.Attribute(model, input.expand(3, -1, -1, -1), [0L, 3L, 4L]);
            for (int i = 0; i < 3; i++)
            {
                using var single = method.Attribute(model, input, [new long[] { 0, 3, 4 }[i]]);
                Assert.True(allclose(batched.Maps[i], single.Maps[0], rtol: 1e-4, atol: 1e-6), $"{name} target {i}");
            }
        }
    }

    [Fact]
    public void UnknownLayerIsOneClearError()
    {
        var model = TestModels.SmallVgg();
        var error = Assert.Throws<TsgbInputException>(() => new GradCam("features.99").Attribute(model, TestModels.Input(), [0L]));
        Assert.Contains("features.99", error.Message);
        Assert.Contains("features.0", error.Message); // lists the layers there are
    }

    [Fact]
    public void TargetOutsideTheClassesIsOneClearError()
    {
        var model = TestModels.SmallVgg();
        var error = Assert.Throws<TsgbInputException>(() => new Gradient().Attribute(model, TestModels.Input(), [7L]));
        Assert.Contains("5 classes", error.Message);
    }
}
