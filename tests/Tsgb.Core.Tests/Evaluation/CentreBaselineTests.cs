using TsgbKit.Demo;
using TsgbKit.Evaluation;
using TsgbKit.Metrics;
using TsgbKit.Synthetic;
using static TorchSharp.torch;

namespace TsgbKit.Tests.Evaluation;

/// <summary>The centre baseline is a positive Gaussian, scored by every metric like any method.</summary>
public class CentreBaselineTests
{
    [Fact]
    public void TheMapIsPositiveAndPeaksAtTheCentre()
    {
        using var scope = NewDisposeScope();
        foreach (var (w, h) in new[] { (112, 112), (80, 60) })
        {
            var map = PointingGame.CenterMap(w, h);
            Assert.Equal(new long[] { h, w }, map.shape);
            Assert.True(map.min().item<float>() > 0);
            Assert.Equal((w / 2, h / 2), SaliencyMath.Argmax(map));
            Assert.Equal(1f, map.max().item<float>());
        }
        // σ = ¼ of the larger side: one σ from the centre the map is exp(−½)
        Assert.Equal(Math.Exp(-0.5), PointingGame.CenterMap(112, 112)[56, 56 + 28].item<float>(), 5);
    }

    [Fact]
    public void ACentredBoxHoldsEnergy()
    {
        using var scope = NewDisposeScope();
        var map = PointingGame.CenterMap(112, 112);
        double centred = EnergyPointingGame.Score(map, new Box(36, 36, 76, 76));
        double corner = EnergyPointingGame.Score(map, new Box(0, 0, 40, 40));
        Assert.InRange(centred, 0.2, 1.0);
        Assert.True(corner < centred);
    }

    [Fact]
    public void TheEvaluationScoresTheBaselineLikeAnyMethod()
    {
        using var model = DemoModels.SceneVgg();
        var rows = SaliencyEvaluation.Run(model, ["gradient"], new EvaluationOptions { Images = 3, CausalImages = 1 });
        var baseline = rows[0];
        Assert.Equal("centre baseline", baseline.Method);
        Assert.True(baseline.Energy > 0, $"energy_in_box {baseline.Energy}");
        // the same map for every class: its ranks match perfectly, computed rather than assumed
        Assert.Equal(1.0, baseline.ClassSensitivity, 9);
        Assert.InRange(baseline.DeletionAuc, 0, 1);
        Assert.True(double.IsNaN(baseline.RandomizationRho));
    }
}
