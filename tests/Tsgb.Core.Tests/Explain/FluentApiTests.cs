using TsgbKit.Errors;
using TorchSharp;
using TsgbKit.Labels;
using TsgbKit.Methods;
using TsgbKit.Models;
using static TorchSharp.torch;

namespace TsgbKit.Tests.Explain;

/// <summary>The fluent API as the issue writes it, on a torchvision architecture with ImageNet's labels.</summary>
public class FluentApiTests
{
    private static readonly Lazy<Classifier> ResNet18 = new(() => Zoo.Create("resnet18"));
    private static Tensor Image() => randn([1, 3, 64, 64], generator: new Generator(5));

    [Fact]
    public void TheCallFromTheIssueCompilesAndRunsAsWritten()
    {
        var model = ResNet18.Value;
        var img = Image();
        var explanation = model.Explain(img).For("dog").With(Tsgb.Conv.And(Tsgb.Fc));

        Assert.Contains("dog", model.Labels[explanation.Target]);
        Assert.Equal(model.Labels[explanation.Target], explanation.TargetName);
        Assert.Equal((64, 64), (explanation.Height, explanation.Width));
        Assert.Equal(64 * 64, explanation.Map.Length);
        Assert.Contains(explanation.Map, v => v != 0);
        Assert.InRange(explanation.Probability, 0f, 1f);
        Assert.Contains("tsgb-conv + tsgb-fc", explanation.Method);
        Assert.True(explanation.LayerStats.Rows.Count > 20);
    }

    [Fact]
    public void AWordMatchingSeveralClassesPicksTheBestScoringOne()
    {
        var model = ResNet18.Value;
        var img = Image();
        var explanation = model.Explain(img).For("dog").With(new Gradient());
        var logits = model.Logits(img)[0].data<float>().ToArray();
        var candidates = Enumerable.Range(0, 1000).Where(i => LabelSet.ImageNet.Synonyms(i).Any(s => s.Split(' ', '-').Contains("dog"))).ToList();
        Assert.True(candidates.Count > 1);
        Assert.Equal(candidates.MaxBy(i => logits[i]), explanation.Target);
    }

    [Fact]
    public void SynonymsAndIndicesResolve()
    {
        var model = ResNet18.Value;
        var img = Image();
        Assert.Equal(2, model.Explain(img).For("white shark").With(new Gradient()).Target);
        Assert.Equal(207, model.Explain(img).For(207).With(new Gradient()).Target);
    }

    [Fact]
    public void TopKIsOrderedByScoreAndBatched()
    {
        var model = ResNet18.Value;
        var img = Image();
        var set = model.Explain(img).For(Tsgb.Top(3)).With(Tsgb.Conv.And(Tsgb.Fc));
        Assert.Equal(3, set.Count);
        Assert.True(set[0].Score >= set[1].Score && set[1].Score >= set[2].Score);
        var order = model.Logits(img)[0].argsort(descending: true).data<long>().Take(3).Select(i => (int)i);
        Assert.Equal(order, set.Select(e => e.Target));
    }

    [Fact]
    public void AnUnknownLabelListsNearMatches()
    {
        var model = ResNet18.Value;
        var error = Assert.Throws<LabelException>(() => model.Explain(Image()).For("goldn retriever").With(new Gradient()));
        Assert.Contains("goldn retriever", error.Message);
        Assert.Contains("golden retriever", error.Message);
    }

    [Fact]
    public void AnInputOfTheWrongShapeIsOneClearError()
    {
        var error = Assert.Throws<TsgbInputException>(() => ResNet18.Value.Explain(randn(2, 3, 8, 8)));
        Assert.Contains("2×3×8×8", error.Message);
    }
}
