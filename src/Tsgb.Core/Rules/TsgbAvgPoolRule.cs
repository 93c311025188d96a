using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace TsgbKit.Rules;

/// <summary>TSGB's AvgPool2d rule: g_x = avgpool_backward(g ⊙ y) / (x + 1e-10).</summary>
public sealed class TsgbAvgPoolRule : Rule
{
    public override string Name => "tsgb-avgpool";

    public override bool AppliesTo(nn.Module module) => module is AvgPool2d;

    public override Tensor Backward(nn.Module module, Tensor x, Tensor y, Tensor g)
    {
        var pool = (AvgPool2d)module;
        long[] Pair(long[]? v, long[] fallback) => v is null || v.Length == 0 ? fallback : v.Length == 1 ? [v[0], v[0]] : v;
        var kernel = Pair(pool.kernel_size, [1, 1]);
        var spread = nn.functional.avg_pool2d_backward(g * y, x, kernel, Pair(pool.stride, kernel), Pair(pool.padding, [0, 0]),
            pool.ceil_mode, pool.count_include_pad, pool.divisor_override);
        return spread / (x + TsgbConvRule.Epsilon);
    }
}
