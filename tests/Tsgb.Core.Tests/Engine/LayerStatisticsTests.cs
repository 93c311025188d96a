using TorchSharp;
using static TorchSharp.torch;

namespace TsgbKit.Tests.Engine;

public class LayerStatisticsTests
{
    [Fact]
    public void OneRowPerLayerInForwardOrderWithTheRuleApplied()
    {
        var model = TestModels.SmallVgg();
        var explanation = model.Explain(TestModels.Input()).For("bird").With(Tsgb.Conv.And(Tsgb.Fc));
        var rows = explanation.Statistics.Rows;
        Assert.Equal("features.0", rows[0].Layer);
        Assert.Equal("tsgb-conv", rows[0].Rule);
        Assert.Equal("8×32×32", rows[0].OutputShape);
        Assert.Equal("tsgb-bn", rows.Single(r => r.Layer == "features.1").Rule);
        Assert.Equal("tsgb-avgpool", rows.Single(r => r.Layer == "features.7").Rule);
        Assert.Equal("gradient", rows.Single(r => r.Layer == "features.2").Rule);
        Assert.Equal("tsgb-fc", rows.Single(r => r.Layer == "classifier.6").Rule);
        Assert.Equal("gradient", rows.Single(r => r.Layer == "classifier.0").Rule);
        Assert.Equal(rows.Count, explanation.LayerStats.Rows.Count);
        Assert.Equal(13, explanation.LayerStats.Columns.Count);
    }

    [Fact]
    public void TsgbConvConservesRelevanceThroughConvBatchNormReluAndMaxPool()
    {
        // TSGB-Conv, its BatchNorm rule, ReLU and max-pool keep Σ g ⊙ y from layer to layer. TSGB's AvgPool rule
        // divides by x, so relevance falling on inputs that are exactly 0 (after a ReLU) is dropped there.
        var model = TestModels.SmallVgg();
        var explanation = model.Explain(TestModels.Input()).For(3).With(Tsgb.Conv);
        var rows = explanation.Statistics.Rows.ToDictionary(r => r.Layer);
        void Same(string from, string to)
        {
            var expected = rows[to].Relevance;
            Assert.True(Math.Abs(rows[from].Relevance - expected) <= 1e-4 * Math.Abs(expected), $"{from}: {rows[from].Relevance} vs {to}: {expected}");
        }
        Assert.NotEqual(0, rows["features.10"].Relevance);
        foreach (var layer in new[] { "features.0", "features.1", "features.2", "features.3", "features.4", "features.5" }) Same(layer, "features.6");
        foreach (var layer in new[] { "features.7", "features.8", "features.9" }) Same(layer, "features.10");
        // and the map at the input carries the relevance of the first layer
        Assert.Equal(rows["features.0"].Relevance, explanation.Map.Sum(v => (double)v), 4);
    }

    [Fact]
    public void ThePlainGradientLeavesFractionsThatDifferFromTsgb()
    {
        var model = TestModels.SmallVgg();
        var input = TestModels.Input();
        var plain = model.Explain(input).For(1).With(TsgbKit.Rules.Composite.None).Statistics.Rows.Single(r => r.Layer == "features.4");
        var tsgb = model.Explain(input).For(1).With(Tsgb.Conv).Statistics.Rows.Single(r => r.Layer == "features.4");
        Assert.Equal("gradient", plain.Rule);
        Assert.NotEqual(plain.L2Norm, tsgb.L2Norm);
    }

    [Fact]
    public void EveryTargetOfABatchedExplanationGetsItsOwnStatistics()
    {
        // several targets share one forward and one backward; each must still get the table a single-target run gives
        var model = TestModels.SmallVgg();
        var input = TestModels.Input();
        var both = model.Explain(input).For(1, 3).With(Tsgb.Conv.And(Tsgb.Fc));
        foreach (var (target, batched) in new[] { (1, both[0]), (3, both[1]) })
        {
            var alone = model.Explain(input).For(target).With(Tsgb.Conv.And(Tsgb.Fc)).Statistics.Rows;
            Assert.Equal(alone.Count, batched.Statistics.Rows.Count);
            for (int i = 0; i < alone.Count; i++)
            {
                Assert.Equal(alone[i].Layer, batched.Statistics.Rows[i].Layer);
                Assert.Equal(alone[i].L2Norm, batched.Statistics.Rows[i].L2Norm, 1e-4 * Math.Max(1, Math.Abs(alone[i].L2Norm)));
                Assert.Equal(alone[i].Relevance, batched.Statistics.Rows[i].Relevance, 1e-4 * Math.Max(1, Math.Abs(alone[i].Relevance)));
            }
        }
        Assert.NotEqual(both[0].Statistics.Rows[0].Relevance, both[1].Statistics.Rows[0].Relevance);
    }
}
