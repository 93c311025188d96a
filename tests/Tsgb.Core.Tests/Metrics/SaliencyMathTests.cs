using TsgbKit.Metrics;
using TorchSharp;

namespace TsgbKit.Tests.Metrics;

public class SaliencyMathTests
{
    public SaliencyMathTests() => TsgbKit.Native.TorchNative.EnsureLoaded();

    [Fact]
    public void SpearmanOfKnownVectors()
    {
        Assert.Equal(1.0, SaliencyMath.Spearman(new double[] { 1, 2, 3, 4, 5 }, new double[] { 2, 4, 8, 16, 1000 }), 12);
        Assert.Equal(-1.0, SaliencyMath.Spearman(new double[] { 1, 2, 3, 4, 5 }, new double[] { 5, 4, 3, 2, 1 }), 12);
        // ties take average ranks: [1, 2.5, 2.5, 4] against [1, 2, 3, 4] → 4.5 / √(4.5·5) = 3/√10
        Assert.Equal(3 / Math.Sqrt(10), SaliencyMath.Spearman(new double[] { 10, 20, 20, 30 }, new double[] { 1, 2, 3, 4 }), 12);
        Assert.True(double.IsNaN(SaliencyMath.Spearman(new double[] { 1, 1, 1 }, new double[] { 1, 2, 3 })));
    }

    [Fact]
    public void AverageRanksShareTies()
    {
        Assert.Equal(new[] { 4, 2.5, 1, 2.5 }, SaliencyMath.AverageRanks(new double[] { 30, 20, 10, 20 }));
        Assert.Equal(new[] { 2.0, 2, 2 }, SaliencyMath.AverageRanks(new double[] { 7, 7, 7 }));
    }

    [Fact]
    public void SpearmanOfTensorsUsesAllElements()
    {
        using var scope = torch.NewDisposeScope();
        var a = torch.tensor(new float[] { 1, 2, 3, 4 }).reshape(2, 2);
        var b = torch.tensor(new float[] { 40, 30, 20, 10 }).reshape(2, 2);
        Assert.Equal(-1.0, SaliencyMath.Spearman(a, b), 12);
    }

    [Fact]
    public void AucOfAHandComputedSequence()
    {
        // (1 + 0.5 + 0.25 + 0 − 1/2 − 0/2) / 3 = 1.25 / 3
        Assert.Equal(1.25 / 3, SaliencyMath.Auc(new[] { 1, 0.5, 0.25, 0 }), 12);
        Assert.Equal(0.7, SaliencyMath.Auc(new[] { 0.7, 0.7, 0.7, 0.7, 0.7 }), 12);
        Assert.Equal(0.5, SaliencyMath.Auc(new[] { 0.0, 1.0 }), 12);
    }

    [Fact]
    public void GaussianKernelIsNormalizedWithRadiusFourSigma()
    {
        var k = SaliencyMath.GaussianKernel(2.24);
        Assert.Equal(2 * 9 + 1, k.Length); // ⌈4 · 2.24⌉ = 9
        Assert.Equal(1.0, k.Sum(), 5);
        Assert.Equal(k[0], k[^1]);
        Assert.True(k[9] > k[8] && k[8] > k[7]);
        Assert.Equal(Math.Exp(-0.5 / (2.24 * 2.24)), k[10] / k[9], 5);
    }

    [Fact]
    public void BlurOfAnImpulseIsTheOuterProductOfKernels()
    {
        using var scope = torch.NewDisposeScope();
        var map = torch.zeros(41, 41);
        map[20, 20] = torch.tensor(1f);
        var blurred = SaliencyMath.GaussianBlur(map, 2.0);
        var k = SaliencyMath.GaussianKernel(2.0);
        Assert.Equal(new long[] { 41, 41 }, blurred.shape);
        Assert.Equal(1.0, blurred.sum().item<float>(), 4);
        Assert.Equal(k[8] * k[8], blurred[20, 20].item<float>(), 5);
        Assert.Equal(k[8] * k[5], blurred[20, 17].item<float>(), 5);
        Assert.Equal(0f, blurred[20, 20 + 9].item<float>());

        // a batch of maps blurs each map alone
        var batch = torch.stack(new[] { map, torch.zeros(41, 41) });
        var blurredBatch = SaliencyMath.GaussianBlur(batch, 2.0);
        Assert.True(blurredBatch[0].allclose(blurred));
        Assert.Equal(0f, blurredBatch[1].abs().max().item<float>());
    }

    [Fact]
    public void ArgmaxReturnsXYOfTheFirstMaximum()
    {
        using var scope = torch.NewDisposeScope();
        var map = torch.zeros(1, 10, 20);
        map[0, 3, 7] = torch.tensor(2f);
        map[0, 6, 2] = torch.tensor(2f);
        Assert.Equal((7, 3), SaliencyMath.Argmax(map));
    }
}
