using TsgbKit.Metrics;
using TsgbKit.Synthetic;
using TorchSharp;
using static TorchSharp.torch;

namespace TsgbKit.Tests.Metrics;

public class PointingGameTests
{
    public PointingGameTests() => TsgbKit.Native.TorchNative.EnsureLoaded();

    const int Side = 112;

    static Mask Square(int x0, int y0, int x1, int y1)
    {
        var m = new Mask(Side, Side);
        for (int y = y0; y < y1; y++)
            for (int x = x0; x < x1; x++) m[x, y] = true;
        return m;
    }

    static Tensor Peak(int x, int y)
    {
        var map = torch.zeros(Side, Side);
        map[y, x] = torch.tensor(1f);
        return map;
    }

    [Fact]
    public void ToleranceScalesWithImageSize()
    {
        Assert.Equal(15, PointingGame.ToleranceFor(224, 224), 12);
        Assert.Equal(7.5, PointingGame.ToleranceFor(112, 112), 12);
        Assert.Equal(7.5, PointingGame.ToleranceFor(80, 112), 12);
        Assert.Equal(2.24, PointingGame.SmoothingSigma(112, 112), 12);
    }

    [Fact]
    public void PeakInsideHitsFarAwayMissesNearTheEdgeWithinTauHits()
    {
        using var scope = torch.NewDisposeScope();
        var mask = Square(40, 40, 60, 60); // pixels 40..59; τ = 7.5 at 112²
        var game = new PointingGame();
        Assert.True(game.Add(0, mask, Peak(50, 50), difficult: false));
        Assert.False(game.Add(0, mask, Peak(100, 5), difficult: false));
        Assert.True(game.Add(0, mask, Peak(66, 50), difficult: false));  // 7 px from pixel (59, 50)
        Assert.False(game.Add(0, mask, Peak(67, 50), difficult: false)); // 8 px
        Assert.True(game.Add(0, mask, Peak(64, 64), difficult: false));  // √32 ≈ 5.7 px from the corner (59, 59)
        Assert.False(game.Add(0, mask, Peak(65, 65), difficult: false)); // √72 ≈ 8.5 px
        var r = game.Result();
        Assert.Equal(6, r.Trials[0]);
        Assert.Equal(3, r.Hits[0]);
    }

    [Fact]
    public void DistanceMustBeStrictlyBelowTau()
    {
        var mask = Square(40, 40, 60, 60);
        Assert.False(PointingGame.IsHit(mask, (67, 50), 8.0)); // exactly 8 away: TorchRay tests d² < τ²
        Assert.True(PointingGame.IsHit(mask, (67, 50), 8.01));
    }

    [Fact]
    public void MeanIsOverClassesNotOverTrials()
    {
        using var scope = torch.NewDisposeScope();
        var mask = Square(40, 40, 60, 60);
        var game = new PointingGame();
        game.Add(0, mask, Peak(50, 50), difficult: false);
        game.Add(0, mask, Peak(45, 45), difficult: false);
        game.Add(1, mask, Peak(1, 1), difficult: false);
        var r = game.Result();
        Assert.Equal(1.0, r.ClassAccuracies[0]);
        Assert.Equal(0.0, r.ClassAccuracies[1]);
        Assert.True(double.IsNaN(r.ClassAccuracies[2]));
        Assert.Equal(0.5, r.MeanAccuracy, 12); // not 2/3
    }

    [Fact]
    public void DifficultSubsetNeedsASmallClassAndAnotherClass()
    {
        var small = Square(0, 0, 20, 20);
        var large = Square(0, 0, 60, 60); // 3600 of 12544 pixels ≥ a quarter
        Assert.True(PointingGame.IsDifficult(small, otherClassPresent: true));
        Assert.False(PointingGame.IsDifficult(small, otherClassPresent: false));
        Assert.False(PointingGame.IsDifficult(large, otherClassPresent: true));

        using var scope = torch.NewDisposeScope();
        var game = new PointingGame();
        game.Add(2, small, Peak(5, 5), PointingGame.IsDifficult(small, true));
        game.Add(2, small, Peak(100, 100), PointingGame.IsDifficult(small, false));
        game.Add(3, large, Peak(100, 100), PointingGame.IsDifficult(large, true));
        var r = game.Result();
        Assert.Equal(2, r.Trials[2]);
        Assert.Equal(1, r.DifficultTrials[2]);
        Assert.Equal(1, r.DifficultHits[2]);
        Assert.Equal(0, r.DifficultTrials[3]);
        Assert.Equal(1.0, r.DifficultMeanAccuracy, 12); // only class 2 has difficult trials
        Assert.Equal(0.25, r.MeanAccuracy, 12);         // class 2: 1/2, class 3: 0/1
    }

    [Fact]
    public void SmoothingMovesThePointFromASpikeToABroadPeak()
    {
        using var scope = torch.NewDisposeScope();
        var map = torch.zeros(Side, Side);
        map[10, 10] = torch.tensor(5f);                                        // a lone spike
        map[TensorIndex.Slice(70, 90), TensorIndex.Slice(70, 90)] = torch.tensor(1f); // a broad region
        Assert.Equal((10, 10), PointingGame.Point(map, smooth: false));
        var (x, y) = PointingGame.Point(map, smooth: true);
        Assert.InRange(x, 75, 85);
        Assert.InRange(y, 75, 85);
    }

    [Fact]
    public void CenterBaselinePointsAtTheCentreAndAnOracleBeatsIt()
    {
        using var scope = torch.NewDisposeScope();
        Assert.Equal((56, 56), SaliencyMath.Argmax(PointingGame.CenterMap(112, 112)));
        Assert.Equal((40, 30), SaliencyMath.Argmax(PointingGame.CenterMap(80, 60)));

        var scenes = Scenes.Dataset(60, seed: 11).ToList();
        var center = PointingGame.EvaluateCenterBaseline(scenes);
        var oracle = new PointingGame();
        foreach (var scene in scenes)
            foreach (var c in scene.Classes)
                oracle.Add(scene, c, scene.ClassMask(c).ToTensor().to_type(ScalarType.Float32));
        var r = oracle.Result();
        Assert.Equal(1.0, r.MeanAccuracy, 12);
        Assert.InRange(center.MeanAccuracy, 0.0, 0.8);
        Assert.Equal(scenes.Sum(s => s.Classes.Count), center.Trials.Sum());
        Assert.Equal(scenes.Where(s => s.Classes.Count > 1).Sum(s => s.Classes.Count), r.DifficultTrials.Sum()); // objects ≤ 45 % wide: every multi-class pair is difficult
    }
}
