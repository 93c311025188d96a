using TsgbKit.Metrics;
using TorchSharp;
using static TorchSharp.torch;

namespace TsgbKit.Tests.Metrics;

public class ClassSensitivityTests
{
    public ClassSensitivityTests() => TsgbKit.Native.TorchNative.EnsureLoaded();

    static Tensor Model(Tensor batch) => torch.tensor(new float[] { 0.5f, 0.9f, 0.1f, 0.3f }).unsqueeze(0).expand(batch.shape[0], 4);

    [Fact]
    public void ClassBlindMapsScoreOneAndOppositeMapsMinusOne()
    {
        using var scope = torch.NewDisposeScope();
        var inputs = Enumerable.Range(0, 3).Select(i => torch.rand(1, 3, 8, 8, generator: new Generator((ulong)i))).ToList();
        var blind = ClassSensitivity.Evaluate(inputs, Model, (x, c) => x[0].sum(new long[] { 0 }));
        Assert.Equal(1.0, blind.Mean, 9);

        // most probable class is 1, least probable 2: opposite maps for exactly those; any other pick breaks ±1
        var requested = new List<int>();
        var sensitive = ClassSensitivity.Evaluate(inputs, Model, (x, c) =>
        {
            requested.Add(c);
            return c switch { 1 => x[0].sum(new long[] { 0 }), 2 => -x[0].sum(new long[] { 0 }), _ => torch.rand(8, 8) };
        });
        Assert.Equal(-1.0, sensitive.Mean, 9);
        Assert.Equal(new[] { 1, 2, 1, 2, 1, 2 }, requested);
        Assert.Equal(3, sensitive.PerImage.Count);
    }

    [Fact]
    public void ScoreIsSpearmanOfTheTwoMaps()
    {
        using var scope = torch.NewDisposeScope();
        var a = torch.tensor(new float[] { 1, 2, 3, 4 });
        var b = torch.tensor(new float[] { 1, 4, 9, 100 });
        Assert.Equal(1.0, ClassSensitivity.Score(a, b), 12);
    }
}
