using TorchSharp;
using TorchSharp.Modules;
using TsgbKit.Engine;
using static TorchSharp.torch;
using TsgbKit.Errors;

namespace TsgbKit.Rules;

/// <summary>
/// TSGB-Conv (Cheng et al., TIP 2022) for Conv2d. With c = Σ_k g_k ⊙ y_k over output channels,
/// n = conv(Σ_c |x_c|, ones) and r = c / (n + 1e-10), the gradient at every input channel is
/// sign(x_c) ⊙ conv_transpose(r, ones). The weights never enter, so this backward is far cheaper than a
/// plain convolution backward.
/// </summary>
public sealed class TsgbConvRule : Rule
{
    public const double Epsilon = 1e-10;

    public override string Name => "tsgb-conv";

    public override bool AppliesTo(nn.Module module) => module is Conv2d;

    public override Tensor Backward(nn.Module module, Tensor x, Tensor y, Tensor g)
    {
        // Rows that share one input (one image, several targets) arrive as a broadcast view: compute x's terms once
        var shared = x.OneRowIfShared();
        var contribution = (g * y).sum(1, keepdim: true);
        return shared.sign() * Spread((Conv2d)module, shared, contribution);
    }

    /// <summary>
    /// conv_transpose(c / (n + ε), ones) at x's size, for a one-channel contribution map c (N×1×H'×W'): the part of the
    /// rule before the sign of x. x may have one row for all of c's rows.
    /// </summary>
    internal static Tensor Spread(Conv2d conv, Tensor x, Tensor contribution)
    {
        var (stride, padding, dilation) = Geometry(conv);
        var kernel = ones(1, 1, conv.kernel_size[0], conv.kernel_size[1], dtype: x.dtype, device: x.device);
        var norm = nn.functional.conv2d(x.abs().sum(1, keepdim: true), kernel, null, stride, padding, dilation);
        var ratio = contribution / (norm + Epsilon);

        // conv_transpose may come out smaller than x (strided convolutions drop a remainder): output padding restores it
        long[] outputPadding = new long[2];
        for (int d = 0; d < 2; d++)
        {
            long produced = (ratio.shape[2 + d] - 1) * stride[d] - 2 * padding[d] + dilation[d] * (kernel.shape[2 + d] - 1) + 1;
            outputPadding[d] = x.shape[2 + d] - produced;
        }
        return ConvTransposeOnes(ratio, kernel, stride, padding, outputPadding, dilation);
    }

    /// <summary>conv_transpose2d of a one-channel map with a ones kernel; output padding beyond the stride is zero-filled.</summary>
    private static Tensor ConvTransposeOnes(Tensor ratio, Tensor kernel, long[] stride, long[] padding, long[] outputPadding, long[] dilation)
    {
        // PyTorch requires output_padding < max(stride, dilation); larger remainders are zero-padded instead
        var legal = new long[2];
        var extra = new long[2];
        for (int d = 0; d < 2; d++)
        {
            long limit = Math.Max(stride[d], dilation[d]) - 1;
            legal[d] = Math.Min(outputPadding[d], limit);
            extra[d] = outputPadding[d] - legal[d];
        }
        var spread = nn.functional.conv_transpose2d(ratio, kernel, null, stride, padding, legal, dilation);
        if (extra[0] > 0 || extra[1] > 0)
            spread = nn.functional.pad(spread, new long[] { 0, extra[1], 0, extra[0] });
        return spread;
    }

    internal static (long[] Stride, long[] Padding, long[] Dilation) Geometry(Conv2d conv)
    {
        if (conv.padding_mode != PaddingModes.Zeros)
            throw new TsgbInputException($"TSGB-Conv supports zero padding only; this Conv2d uses {conv.padding_mode} padding");
        long[] padding = conv.padding_type switch
        {
            Padding.Same => [conv.dilation[0] * (conv.kernel_size[0] - 1) / 2, conv.dilation[1] * (conv.kernel_size[1] - 1) / 2],
            Padding.Valid => [0, 0],
            // explicit padding: TorchSharp types it nullable, but Conv2d always sets it when the type is not Same/Valid
            _ => conv.padding!.Length == 1 ? [conv.padding[0], conv.padding[0]] : conv.padding,
        };
        long[] Pair(long[] v) => v.Length == 1 ? [v[0], v[0]] : v;
        return (Pair(conv.stride), padding, Pair(conv.dilation));
    }
}
