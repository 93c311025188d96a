using TsgbKit.Metrics;
using TsgbKit.Synthetic;
using TorchSharp;
using static TorchSharp.torch;

namespace TsgbKit.Tests.Metrics;

public class EnergyPointingGameTests
{
    public EnergyPointingGameTests() => TsgbKit.Native.TorchNative.EnsureLoaded();

    [Fact]
    public void MapInsideTheBoxScoresOne()
    {
        using var scope = torch.NewDisposeScope();
        var map = torch.zeros(100, 100);
        map[TensorIndex.Slice(20, 40), TensorIndex.Slice(30, 50)] = torch.rand(20, 20) + 0.1f;
        Assert.Equal(1.0, EnergyPointingGame.Score(map, new Box(30, 20, 50, 40)), 12);
        Assert.Equal(0.0, EnergyPointingGame.Score(map, new Box(60, 60, 90, 90)), 12);
    }

    [Fact]
    public void UniformMapOverAQuarterBoxScoresAQuarter()
    {
        using var scope = torch.NewDisposeScope();
        Assert.Equal(0.25, EnergyPointingGame.Score(torch.ones(1, 100, 100), new Box(0, 0, 50, 50)), 12);
    }

    [Fact]
    public void NegativeValuesAreClampedAndAZeroMapScoresZero()
    {
        using var scope = torch.NewDisposeScope();
        var map = torch.full(100, 100, -5f);
        map[TensorIndex.Slice(0, 10), TensorIndex.Slice(0, 10)] = torch.tensor(1f);
        Assert.Equal(1.0, EnergyPointingGame.Score(map, new Box(0, 0, 10, 10)), 12);
        Assert.Equal(0.0, EnergyPointingGame.Score(torch.zeros(100, 100), new Box(0, 0, 10, 10)));
        Assert.Equal(0.0, EnergyPointingGame.Score(torch.full(100, 100, -1f), new Box(0, 0, 10, 10)));
    }

    [Fact]
    public void EvaluateOverScenesWithAnOracleMapScoresOne()
    {
        using var scope = torch.NewDisposeScope();
        var scenes = TsgbKit.Synthetic.Scenes.Dataset(10, seed: 5).ToList();
        int index = -1;
        // the explainer sees inputs in scene order; it maps each class to its own mask
        var result = EnergyPointingGame.Evaluate(scenes.Select(s => { index++; return s; }),
            (input, c) => scenes[index].ClassMask(c).ToTensor().to_type(ScalarType.Float32));
        Assert.Equal(1.0, result.Mean, 12);
        Assert.Equal(scenes.Sum(s => s.Classes.Count), result.Pairs.Sum());
    }
}
