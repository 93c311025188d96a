using TsgbKit.Metrics;
using TorchSharp;
using static TorchSharp.torch;

namespace TsgbKit.Tests.Metrics;

public class CausalMetricsTests
{
    public CausalMetricsTests() => TsgbKit.Native.TorchNative.EnsureLoaded();

    const int Side = 32;
    const int Target = 1;

    /// <summary>An image, an object mask (12×12 = 144 px) and a fake model whose class-1 probability is the fraction
    /// of object pixels still equal to the original.</summary>
    static (Tensor Image, Tensor Mask, Func<Tensor, Tensor> Model) Setup()
    {
        var image = torch.randn(1, 3, Side, Side, generator: new Generator(7));
        var mask = torch.zeros(Side, Side);
        mask[TensorIndex.Slice(8, 20), TensorIndex.Slice(10, 22)] = torch.tensor(1f);
        var objectPixels = mask.sum().item<float>();
        Func<Tensor, Tensor> model = batch =>
        {
            var intact = batch.eq(image).all(1).to_type(ScalarType.Float32); // N×H×W
            var fraction = intact.mul(mask).sum(new long[] { 1, 2 }).div(objectPixels);
            return torch.stack(new[] { torch.full_like(fraction, 0.5f), fraction }, 1);
        };
        return (image, mask, model);
    }

    [Fact]
    public void DeletingTheObjectFirstGivesTheLowestDeletionAuc()
    {
        using var scope = torch.NewDisposeScope();
        var (image, mask, model) = Setup();
        var perfect = CausalMetrics.Deletion(model, image, mask, Target);
        var random = CausalMetrics.Deletion(model, image, torch.rand(Side, Side, generator: new Generator(3)), Target);
        var reversed = CausalMetrics.Deletion(model, image, 1 - mask, Target);
        Assert.True(perfect.Auc < random.Auc, $"perfect {perfect.Auc} vs random {random.Auc}");
        Assert.True(random.Auc < reversed.Auc, $"random {random.Auc} vs reversed {reversed.Auc}");

        // one row (32 px) per step: n = 32, sᵢ = 1 − min(32·i, 144)/144
        Assert.Equal(32, perfect.PixelsPerStep);
        Assert.Equal(33, perfect.Scores.Count);
        var expected = Enumerable.Range(0, 33).Select(i => 1 - Math.Min(32.0 * i, 144) / 144).ToArray();
        for (int i = 0; i <= 32; i++) Assert.Equal(expected[i], perfect.Scores[i], 6);
        Assert.Equal(SaliencyMath.Auc(expected), perfect.Auc, 6);
        Assert.Equal(1.0, reversed.Scores[27], 6); // 864 background pixels go first: 27 steps without touching the object
        Assert.Equal(0.0, reversed.Scores[32], 6);
    }

    [Fact]
    public void InsertingTheObjectFirstGivesTheHighestInsertionAuc()
    {
        using var scope = torch.NewDisposeScope();
        var (image, mask, model) = Setup();
        var perfect = CausalMetrics.Insertion(model, image, mask, Target);
        var random = CausalMetrics.Insertion(model, image, torch.rand(Side, Side, generator: new Generator(3)), Target);
        var reversed = CausalMetrics.Insertion(model, image, 1 - mask, Target);
        Assert.True(perfect.Auc > random.Auc, $"perfect {perfect.Auc} vs random {random.Auc}");
        Assert.True(random.Auc > reversed.Auc, $"random {random.Auc} vs reversed {reversed.Auc}");
        Assert.Equal(0.0, perfect.Scores[0], 6); // the blurred start differs everywhere
        Assert.Equal(1.0, perfect.Scores[5], 6); // 160 ≥ 144 pixels restored
        Assert.Equal(1.0, perfect.Scores[^1], 6);
    }

    [Fact]
    public void BatchSizeDoesNotChangeTheCurve()
    {
        using var scope = torch.NewDisposeScope();
        var (image, _, model) = Setup();
        var map = torch.rand(Side, Side, generator: new Generator(9));
        var one = CausalMetrics.Deletion(model, image, map, Target, batchSize: 1);
        var seven = CausalMetrics.Deletion(model, image, map, Target, batchSize: 7);
        Assert.Equal(one.Scores, seven.Scores);
        var stepped = CausalMetrics.Insertion(model, image, map, Target, pixelsPerStep: 100);
        Assert.Equal(11, stepped.Steps); // ⌈1024 / 100⌉
    }

    [Fact]
    public void DeletionUsesTheMeanColourAndInsertionTheRiseBlur()
    {
        using var scope = torch.NewDisposeScope();
        var (image, _, _) = Setup();
        Tensor? last = null;
        Func<Tensor, Tensor> spy = batch => { last = batch[-1].clone().DetachFromDisposeScope(); return torch.zeros(batch.shape[0], 2); };
        CausalMetrics.Deletion(spy, image, torch.rand(Side, Side), Target);
        var mean = image.mean(new long[] { 2, 3 }, keepdim: true).expand_as(image)[0];
        Assert.True(last!.allclose(mean, atol: 1e-6));

        CausalMetrics.Insertion(spy, image, torch.rand(Side, Side), Target, batchSize: 64);
        Assert.True(last!.allclose(image[0])); // fully restored at the last step
        var blurred = CausalMetrics.BlurForInsertion(image);
        var k = SaliencyMath.GaussianKernel(5, 5);
        Assert.Equal(11, k.Length);
        // interior pixel: the 11×11 weighted sum of the neighbourhood
        double expected = 0;
        for (int dy = -5; dy <= 5; dy++)
            for (int dx = -5; dx <= 5; dx++)
                expected += k[dy + 5] * k[dx + 5] * image[0, 1, 16 + dy, 16 + dx].item<float>();
        Assert.Equal(expected, blurred[0, 1, 16, 16].item<float>(), 4);
    }

    [Fact]
    public void SalientOrderIsDecreasingWithRowMajorTies()
    {
        using var scope = torch.NewDisposeScope();
        var map = torch.tensor(new float[] { 0, 3, 1, 3 }).reshape(2, 2);
        Assert.Equal(new[] { 1, 3, 2, 0 }, CausalMetrics.SalientOrder(map));
    }
}
