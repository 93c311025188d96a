using TorchSharp;
using TorchSharp.Modules;
using TsgbKit.Labels;
using TsgbKit.Models;
using TsgbKit.Tests.Engine;
using static TorchSharp.torch;

namespace TsgbKit.Tests.Explain;

/// <summary>
/// The fluent call runs the method's own pass and nothing else: targets that depend on the scores are chosen from
/// that pass's forward, and the score and probability reported are that forward's. Counted at the last Linear
/// layer, which every forward passes through.
/// </summary>
public class OneForwardTests
{
    [Fact]
    public void AWordMatchingSeveralClassesIsChosenInsideThePass()
    {
        using var scope = NewDisposeScope();
        using var model = Relabel(TestModels.SmallVgg(), "red fox", "grey fox", "bird", "fish", "frog");
        var input = TestModels.Input();
        var logits = model.Logits(input)[0].data<float>().ToArray();

        int forwards = CountForwards(model, input, () =>
        {
            var explanation = model.Explain(input).For("fox").With(Tsgb.Conv.And(Tsgb.Fc));
            Assert.Equal(logits[0] >= logits[1] ? 0 : 1, explanation.Target);
            Assert.Equal(logits[explanation.Target], explanation.Score, 1e-4f);
            Assert.Equal(Softmax(logits)[explanation.Target], explanation.Probability, 1e-5f);
        });
        Assert.Equal(1, forwards);
    }

    [Fact]
    public void AnIndexOrAWholeLabelNeedsNoForwardBeforeThePass()
    {
        using var scope = NewDisposeScope();
        using var model = TestModels.SmallVgg();
        var input = TestModels.Input();
        Assert.Equal(1, CountForwards(model, input, () => model.Explain(input).For(3).With(new TsgbKit.Methods.Gradient())));
        Assert.Equal(1, CountForwards(model, input, () => model.Explain(input).For("dog").With(new TsgbKit.Methods.GradCam())));
    }

    [Fact]
    public void TopKOnAVggStackIsOneSharedPassWithItsOwnScores()
    {
        using var scope = NewDisposeScope();
        using var model = TestModels.PoolingVgg();
        var input = randn([1, 3, 30, 30], generator: new Generator(5));
        var logits = model.Logits(input)[0].data<float>().ToArray();
        var order = Enumerable.Range(0, logits.Length).OrderByDescending(i => logits[i]).Take(3).ToArray();
        int factorized = TsgbKit.Engine.PassCounters.Factorized;

        int forwards = CountForwards(model, input, () =>
        {
            var set = model.Explain(input).For(Tsgb.Top(3)).With(Tsgb.Conv.And(Tsgb.Fc));
            Assert.Equal(order, set.Select(e => e.Target));
            foreach (var e in set)
            {
                Assert.Equal(logits[e.Target], e.Score, 1e-4f);
                Assert.Equal(Softmax(logits)[e.Target], e.Probability, 1e-5f);
            }
        });
        Assert.Equal(1, forwards);
        Assert.Equal(factorized + 1, TsgbKit.Engine.PassCounters.Factorized);
    }

    [Fact]
    public void MethodsOfManyPassesChooseFromTheCleanImage()
    {
        // SmoothGrad runs on noisy copies: its targets come from the clean image's scores, as before
        using var scope = NewDisposeScope();
        using var model = Relabel(TestModels.SmallVgg(), "red fox", "grey fox", "bird", "fish", "frog");
        var input = TestModels.Input();
        var logits = model.Logits(input)[0].data<float>().ToArray();
        var explanation = model.Explain(input).For("fox").With(new TsgbKit.Methods.SmoothGrad(new TsgbKit.Methods.Gradient(), samples: 2));
        Assert.Equal(logits[0] >= logits[1] ? 0 : 1, explanation.Target);
        Assert.Equal(logits[explanation.Target], explanation.Score, 1e-4f);
    }

    private static Classifier Relabel(Classifier model, params string[] labels) =>
        new(model.Module, model.Architecture, new LabelSet(labels));

    /// <summary>
    /// How many forward passes reach the model's last Linear layer while <paramref name="action"/> runs on
    /// <paramref name="input"/>. The layers' forward order is recorded once per model and image size (one pass
    /// without gradients, for the selectors); that is done first, so what is counted is the cost of each call.
    /// </summary>
    private static int CountForwards(Classifier model, Tensor input, Action action)
    {
        TsgbKit.Engine.AttributionScope.Layers(model.Module, input);
        var last = model.Module.modules().OfType<Linear>().Last();
        int count = 0;
        var hook = last.register_forward_hook((_, _, output) => { count++; return output; });
        try { action(); }
        finally { hook.remove(); }
        return count;
    }

    private static float[] Softmax(float[] logits)
    {
        var max = logits.Max();
        var e = logits.Select(v => Math.Exp(v - max)).ToArray();
        var sum = e.Sum();
        return e.Select(v => (float)(v / sum)).ToArray();
    }
}
