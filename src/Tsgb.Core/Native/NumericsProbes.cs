using static TorchSharp.torch;
using F = TorchSharp.torch.nn.functional;

namespace TsgbKit.Native;

/// <summary>
/// The self-check's battery: the operations Tsgb's maps are made of, at small sizes, in the shapes that failed
/// on CPUs where libtorch's oneDNN computes wrong numbers (see the README's troubleshooting section). The
/// probes most likely to catch a faulty backend come first, so a bad configuration is left early.
/// </summary>
public static class NumericsProbes
{
    public static IReadOnlyList<NumericsProbe> All { get; } =
    [
        // TSGB-Conv's backward: a one-channel map spread by a ones kernel with the layer's stride and padding
        OnesKernelTranspose(kernel: 7, stride: 2, padding: 3, outputPadding: 1),
        OnesKernelTranspose(kernel: 3, stride: 1, padding: 1, outputPadding: 0),
        OnesKernelTranspose(kernel: 3, stride: 2, padding: 1, outputPadding: 1, dilation: 2),
        ConvInputGradient(channels: 8, outChannels: 8, kernel: 3, stride: 1, padding: 2, dilation: 2, size: 28),
        ConvInputGradient(channels: 16, outChannels: 32, kernel: 3, stride: 2, padding: 1, dilation: 1, size: 28),
        Conv(channels: 3, outChannels: 16, kernel: 7, stride: 2, padding: 3, dilation: 1, size: 56),
        Conv(channels: 16, outChannels: 32, kernel: 3, stride: 1, padding: 1, dilation: 1, size: 28),
        Conv(channels: 16, outChannels: 16, kernel: 3, stride: 1, padding: 2, dilation: 2, size: 28),
        Conv(channels: 32, outChannels: 64, kernel: 1, stride: 2, padding: 0, dilation: 1, size: 28),
        BatchNormEval(),
        MaxPool(kernel: 3, stride: 2, padding: 1, ceil: false),
        MaxPool(kernel: 2, stride: 2, padding: 0, ceil: true),
        Linear(),
        AdaptiveAveragePool(),
    ];

    static NumericsProbe OnesKernelTranspose(int kernel, int stride, int padding, int outputPadding, int dilation = 1) => new(
        $"conv_transpose2d of one channel with a {kernel}×{kernel} ones kernel, stride {stride}, padding {padding}" + (dilation > 1 ? $", dilation {dilation}" : ""),
        (g, device) =>
        {
            var r = randn([2, 1, 56, 56], generator: g).to(device);
            Tensor Spread(Tensor x) => F.conv_transpose2d(x, ones([1, 1, kernel, kernel], x.dtype, device), null,
                [stride, stride], [padding, padding], [outputPadding, outputPadding], [dilation, dilation]);
            return NumericsProbe.RelativeError(Spread(r), Spread(r.to(ScalarType.Float64)));
        });

    static NumericsProbe Conv(int channels, int outChannels, int kernel, int stride, int padding, int dilation, int size) => new(
        $"conv2d {channels}→{outChannels}, {kernel}×{kernel}, stride {stride}, padding {padding}" + (dilation > 1 ? $", dilation {dilation}" : ""),
        (g, device) =>
        {
            var (x, w, b) = ConvOperands(g, device, channels, outChannels, kernel, size);
            Tensor Run(ScalarType t) => F.conv2d(x.to(t), w.to(t), b.to(t), [stride, stride], [padding, padding], [dilation, dilation]);
            return NumericsProbe.RelativeError(Run(ScalarType.Float32), Run(ScalarType.Float64));
        });

    static NumericsProbe ConvInputGradient(int channels, int outChannels, int kernel, int stride, int padding, int dilation, int size) => new(
        $"conv2d {channels}→{outChannels}, {kernel}×{kernel}, stride {stride}, padding {padding}" + (dilation > 1 ? $", dilation {dilation}" : "") + ", forward and input gradient",
        (g, device) =>
        {
            var (x, w, _) = ConvOperands(g, device, channels, outChannels, kernel, size);
            return ForwardAndGradientError(g, x, input => F.conv2d(input, w.to(input.dtype), null, [stride, stride], [padding, padding], [dilation, dilation]));
        });

    static NumericsProbe BatchNormEval() => new("batch_norm (eval) of 2×32×14×14", (g, device) =>
    {
        var x = randn([2, 32, 14, 14], generator: g).to(device);
        var mean = randn([32], generator: g).to(device);
        var variance = rand([32], generator: g).to(device) + 0.5;
        var weight = randn([32], generator: g).to(device);
        var bias = randn([32], generator: g).to(device);
        Tensor Run(ScalarType t) => F.batch_norm(x.to(t), mean.to(t), variance.to(t), weight.to(t), bias.to(t), training: false);
        return NumericsProbe.RelativeError(Run(ScalarType.Float32), Run(ScalarType.Float64));
    });

    static NumericsProbe MaxPool(int kernel, int stride, int padding, bool ceil) => new(
        $"max_pool2d {kernel}×{kernel}, stride {stride}, padding {padding}{(ceil ? ", ceil mode" : "")}, forward and backward",
        (g, device) =>
        {
            var x = randn([2, 16, 27, 27], generator: g).to(device);
            Tensor Pool(Tensor input) => F.max_pool2d(input, [kernel, kernel], [stride, stride], [padding, padding], ceil_mode: ceil);
            return ForwardAndGradientError(g, x, Pool);
        });

    static NumericsProbe Linear() => new("linear 512→100, forward and input gradient", (g, device) =>
    {
        var x = randn([4, 512], generator: g).to(device);
        var w = randn([100, 512], generator: g).to(device) / Math.Sqrt(512);
        var b = randn([100], generator: g).to(device);
        Tensor Run(Tensor input) => F.linear(input, w.to(input.dtype), b.to(input.dtype));
        return ForwardAndGradientError(g, x, Run);
    });

    static NumericsProbe AdaptiveAveragePool() => new("adaptive_avg_pool2d 7×7 → 3×3, forward and backward", (g, device) =>
    {
        var x = randn([2, 32, 7, 7], generator: g).to(device);
        Tensor Pool(Tensor input) => F.adaptive_avg_pool2d(input, [3, 3]);
        return ForwardAndGradientError(g, x, Pool);
    });

    static (Tensor X, Tensor W, Tensor B) ConvOperands(Generator g, Device device, int channels, int outChannels, int kernel, int size) => (
        randn([2, channels, size, size], generator: g).to(device),
        (randn([outChannels, channels, kernel, kernel], generator: g) / Math.Sqrt(channels * kernel * kernel)).to(device),
        randn([outChannels], generator: g).to(device));

    /// <summary>
    /// The output and the input gradient of Σ output ⊙ r (r random), float32 against float64, the larger error of
    /// the two; each precision runs its forward once.
    /// </summary>
    static double ForwardAndGradientError(Generator g, Tensor x, Func<Tensor, Tensor> f)
    {
        using var enabled = enable_grad();
        var input32 = x.detach().requires_grad_(true);
        var input64 = x.to(ScalarType.Float64).detach().requires_grad_(true);
        var output32 = f(input32);
        var output64 = f(input64);
        var r = randn(output32.shape, generator: g).to(x.device);
        output32.backward([r]);
        output64.backward([r.to(ScalarType.Float64)]);
        return Math.Max(NumericsProbe.RelativeError(output32, output64), NumericsProbe.RelativeError(input32.grad!, input64.grad!));
    }
}
