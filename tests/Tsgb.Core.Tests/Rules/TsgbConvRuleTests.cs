using TorchSharp;
using TsgbKit.Rules;
using static TorchSharp.torch;

namespace TsgbKit.Tests.Rules;

/// <summary>TSGB-Conv against the formula written out with plain loops.</summary>
public class TsgbConvRuleTests
{
    [Theory]
    [InlineData(5, 5, 3, 1, 0, 1)]   // plain 3×3
    [InlineData(6, 6, 3, 2, 1, 1)]   // strided: conv_transpose needs output padding to restore 6×6
    [InlineData(7, 5, 3, 2, 1, 1)]   // non-square
    [InlineData(7, 7, 3, 1, 2, 2)]   // dilated
    [InlineData(8, 8, 5, 3, 2, 1)]   // stride 3: the remainder exceeds PyTorch's output-padding limit
    public void MatchesTheLoopComputation(int height, int width, int kernel, int stride, int padding, int dilation)
    {
        using var scope = NewDisposeScope();
        manual_seed(7);
        var conv = nn.Conv2d(2, 3, kernel, stride: stride, padding: padding, dilation: dilation);
        var x = randn(1, 2, height, width);
        var y = conv.forward(x);
        var g = randn(y.shape);

        var actual = new TsgbConvRule().Backward(conv, x, y, g);
        var expected = Loops(x, y, g, kernel, stride, padding, dilation);

        Assert.Equal(x.shape, actual.shape);
        Assert.True(allclose(actual, expected, rtol: 1e-4, atol: 1e-5), $"max diff {(actual - expected).abs().max().item<float>()}");
    }

    [Fact]
    public void ConservesRelevance()
    {
        // Σ x ⊙ g_x = Σ_ij r_ij n_ij = Σ g ⊙ y (up to the 1e-10 stabiliser)
        using var scope = NewDisposeScope();
        manual_seed(3);
        var conv = nn.Conv2d(3, 4, 3, padding: 1);
        var x = randn(1, 3, 6, 6);
        var y = conv.forward(x);
        var g = randn(y.shape);
        var gx = new TsgbConvRule().Backward(conv, x, y, g);
        Assert.Equal((g * y).sum().item<float>(), (x * gx).sum().item<float>(), 3);
    }

    [Fact]
    public void WeightsDoNotEnter()
    {
        using var scope = NewDisposeScope();
        manual_seed(5);
        var conv = nn.Conv2d(2, 2, 3, padding: 1);
        var x = randn(1, 2, 4, 4);
        var y = randn(1, 2, 4, 4);
        var g = randn(1, 2, 4, 4);
        var before = new TsgbConvRule().Backward(conv, x, y, g);
        using (no_grad()) conv.weight!.mul_(-3);
        var after = new TsgbConvRule().Backward(conv, x, y, g);
        Assert.True(allclose(before, after, rtol: 0, atol: 0));
    }

    private static Tensor Loops(Tensor x, Tensor y, Tensor g, int k, int s, int p, int d)
    {
        var xs = x.data<float>().ToArray();
        var ys = y.data<float>().ToArray();
        var gs = g.data<float>().ToArray();
        int C = (int)x.shape[1], H = (int)x.shape[2], W = (int)x.shape[3];
        int K = (int)y.shape[1], Ho = (int)y.shape[2], Wo = (int)y.shape[3];
        var result = new float[C * H * W];
        for (int i = 0; i < Ho; i++)
            for (int j = 0; j < Wo; j++)
            {
                double c = 0;
                for (int o = 0; o < K; o++) c += gs[(o * Ho + i) * Wo + j] * ys[(o * Ho + i) * Wo + j];
                double n = 0;
                for (int ch = 0; ch < C; ch++)
                    for (int a = 0; a < k; a++)
                        for (int b = 0; b < k; b++)
                        {
                            int r = i * s - p + a * d, q = j * s - p + b * d;
                            if (r >= 0 && r < H && q >= 0 && q < W) n += Math.Abs(xs[(ch * H + r) * W + q]);
                        }
                double ratio = c / (n + 1e-10);
                for (int ch = 0; ch < C; ch++)
                    for (int a = 0; a < k; a++)
                        for (int b = 0; b < k; b++)
                        {
                            int r = i * s - p + a * d, q = j * s - p + b * d;
                            if (r >= 0 && r < H && q >= 0 && q < W)
                                result[(ch * H + r) * W + q] += (float)(Math.Sign(xs[(ch * H + r) * W + q]) * ratio);
                        }
            }
        return tensor(result, [1, C, H, W]);
    }
}
