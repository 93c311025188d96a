using TorchSharp;
using TorchSharp.Modules;
using TsgbKit.Rules;
using static TorchSharp.torch;

namespace TsgbKit.Engine;

/// <summary>
/// MaxPool2d's own gradient for a replayed forward (one image, k targets): the arg-max positions are found once on
/// the single image and every row's gradient is routed through them (summed where windows overlap, as PyTorch does).
/// </summary>
internal sealed class ReplayedMaxPoolGradient : Rule
{
    public override string Name => "gradient";

    public override bool AppliesTo(nn.Module module) => module is MaxPool2d;

    public override Tensor Backward(nn.Module module, Tensor x, Tensor y, Tensor g) => Route((MaxPool2d)module, x, g);

    /// <summary>The gradient g at the pool's output (k rows) routed to its input x (one image, or k shared rows).</summary>
    public static Tensor Route(MaxPool2d pool, Tensor x, Tensor g)
    {
        var (_, indices) = nn.functional.max_pool2d_with_indices(x.OneRowIfShared(), pool.kernel_size, pool.stride, pool.padding, pool.dilation, pool.ceil_mode);
        long rows = g.shape[0], channels = g.shape[1];
        var routes = indices.reshape(indices.shape[0], channels, -1).expand(rows, channels, -1);
        var gx = zeros(rows, channels, x.shape[2] * x.shape[3], dtype: g.dtype, device: g.device);
        gx.scatter_add_(2, routes, g.reshape(rows, channels, -1));
        return gx.view(rows, channels, x.shape[2], x.shape[3]);
    }
}
