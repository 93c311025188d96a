using TorchSharp;
using TorchSharp.Modules;
using TsgbKit.Models;
using TsgbKit.Rules;
using static TorchSharp.torch;

namespace TsgbKit.Engine;

/// <summary>
/// TSGB for one image and k targets through a VGG feature stack (Conv2d with TSGB-Conv, ReLU, MaxPool2d), without
/// ever forming a k×C×H×W gradient. Below a TSGB convolution the gradient is sign(x) ⊙ u with u one channel per
/// target; a ReLU keeps that form, a max-pool routes it through arg-max positions that do not depend on the target,
/// and the next convolution's rule only needs c = Σ_ch g ⊙ y. So every step works on k×1×H×W maps and per-image
/// factors computed once. The result equals the general engine's (a test compares them); the head (pooling and the
/// classifier, TSGB-FC included) runs through the general engine on k rows.
/// </summary>
internal static class FactorizedTsgbBackward
{
    /// <summary>The gradient at one boundary of the stack, kept in the cheapest exact form.</summary>
    private abstract record State;
    /// <summary>An explicit k×C×H×W gradient.</summary>
    private sealed record Full(Tensor G) : State;
    /// <summary>g = sign(reference) ⊙ u, u being k×1×H×W.</summary>
    private sealed record Signed(Tensor U, Tensor Reference) : State;
    /// <summary>g = max-pool routing of sign(pooled) ⊙ u into the pool's input grid.</summary>
    private sealed record Pooled(Tensor U, MaxPool2d Pool, Tensor PoolInput, Tensor PoolOutput, int PoolIndex) : State;

    /// <summary>Null when the model or the rules do not fit (the general engine then runs).</summary>
    public static BackpropResult? TryRun(Classifier model, Tensor image, long[] targets, Composite? rules) =>
        TryRun(model, image, TargetSelection.Fixed(targets), rules);

    /// <param name="targets">fixed, or chosen from the logits of the head's forward</param>
    public static BackpropResult? TryRun(Classifier model, Tensor image, TargetSelection targets, Composite? rules)
    {
        if (model.Module is not Vgg vgg || rules is null || image.shape[0] != 1) return null;
        var layers = AttributionScope.Layers(model.Module, image);
        var features = new List<nn.Module<Tensor, Tensor>>();
        foreach (var (name, module) in vgg.FeatureStack.named_children())
        {
            var info = layers.FirstOrDefault(l => l.Name == "features." + name);
            if (info is null || module is not nn.Module<Tensor, Tensor> layer) return null;
            var rule = rules.RuleFor(info);
            bool fits = module switch
            {
                Conv2d => rule is TsgbConvRule,
                ReLU relu => rule is null && !relu.inplace,
                MaxPool2d => rule is null,
                _ => false,
            };
            if (!fits) return null;
            features.Add(layer);
        }
        if (features.Count == 0) return null;

        int k = targets.Count;
        PassCounters.CountFactorized();
        using var scope = NewDisposeScope();
        // one forward of the single image through the features, every output kept
        var outputs = new List<Tensor> { image };
        using (no_grad())
            foreach (var module in features) outputs.Add(module.call(outputs[^1]));

        // the head on k rows through the general engine (TSGB-FC and any other rule of the classifier)
        var top = outputs[^1].expand(k, -1, -1, -1).clone().requires_grad_(true);
        Tensor logits;
        long[] chosen;
        using (var attached = AttributionScope.Attach(model.Module, image, rules, recordAll: false, capture: Array.Empty<string>()))
        {
            logits = vgg.Classifier.call(vgg.AvgPool.call(top).flatten(1));
            chosen = Backprop.Chosen(model, targets, logits);
            logits.gather(1, tensor(chosen, device: logits.device).unsqueeze(1)).sum().backward();
        }
        State state = new Full(top.grad ?? zeros_like(top));

        // down the features: state is the gradient at outputs[i + 1], the output of features[i]
        for (int i = features.Count - 1; i >= 0; i--)
        {
            Tensor x = outputs[i], y = outputs[i + 1];
            state = features[i] switch
            {
                ReLU => Relu(state, y, i),
                MaxPool2d pool => state is Signed s && ReferenceEquals(s.Reference, y)
                    ? new Pooled(s.U, pool, x, y, i)
                    : new Full(ReplayedMaxPoolGradient.Route(pool, x, Materialize(state))),
                Conv2d conv => Conv(state, conv, x, y),
                _ => throw new InvalidOperationException("unreachable"),
            };
        }

        var gradient = Materialize(state);
        return new BackpropResult
        {
            Inputs = image.expand(k, -1, -1, -1).cpu().contiguous().MoveToOuterDisposeScope(),
            InputGradient = gradient.cpu().contiguous().MoveToOuterDisposeScope(),
            Logits = logits.detach().cpu().MoveToOuterDisposeScope(),
            Captured = new Dictionary<string, (Tensor, Tensor)>(),
            Statistics = Array.Empty<LayerStatistics>(),
            Targets = chosen,
        };
    }

    /// <summary>ReLU with input x and output y: g_x = g ⊙ [y &gt; 0].</summary>
    private static State Relu(State state, Tensor y, int index) => state switch
    {
        // sign(y) ⊙ u with y ≥ 0 is already zero where y is: the mask changes nothing
        Signed s when ReferenceEquals(s.Reference, y) => s,
        // routed positions hold the pooled value of y: positive there, or the sign factor is zero
        Pooled p when p.PoolIndex == index + 1 => p,
        _ => new Full(Materialize(state) * (y > 0).to_type(y.dtype)),
    };

    /// <summary>TSGB-Conv from c = Σ_ch g ⊙ y, computed in the factor's form where possible; returns sign(x) ⊙ u.</summary>
    private static State Conv(State state, Conv2d conv, Tensor x, Tensor y)
    {
        var contribution = state switch
        {
            // Σ_ch sign(ref) ⊙ u ⊙ y = u ⊙ Σ_ch sign(ref) ⊙ y, the last factor per image
            Signed s => s.U * (s.Reference.sign() * y).sum(1, keepdim: true),
            // a pooled state reaches a convolution from the pool right above it, or through the one ReLU between them
            Pooled p => PooledContribution(p, y),
            _ => (Materialize(state) * y).sum(1, keepdim: true),
        };
        var spread = TsgbConvRule.Spread(conv, x, contribution);
        return new Signed(spread, x);
    }

    /// <summary>
    /// c(p) = Σ_q u(q) · Σ_ch [argmax_ch(q) = p] sign(pooled_ch(q)) y_ch(p): per-image weights for each window offset,
    /// then a fold (the transpose of unfold) sums every window's share into place.
    /// </summary>
    private static Tensor PooledContribution(Pooled p, Tensor y)
    {
        var (kernel, stride, padding, dilation) = PoolGeometry(p.Pool);
        long height = y.shape[2], width = y.shape[3];
        var (pooled, indices) = nn.functional.max_pool2d_with_indices(p.PoolInput, p.Pool.kernel_size, p.Pool.stride, p.Pool.padding, p.Pool.dilation, p.Pool.ceil_mode);
        long qh = pooled.shape[2], qw = pooled.shape[3];
        long blocksH = (height + 2 * padding[0] - dilation[0] * (kernel[0] - 1) - 1) / stride[0] + 1;
        long blocksW = (width + 2 * padding[1] - dilation[1] * (kernel[1] - 1) - 1) / stride[1] + 1;
        if (blocksH != qh || blocksW != qw) // ceil-mode windows: fold cannot place them; take the explicit route
            return (Materialize(p) * y).sum(1, keepdim: true);

        long channels = pooled.shape[1], q = qh * qw;
        var flatIndex = indices.reshape(channels, q);
        var values = pooled.sign().reshape(channels, q) * y.reshape(channels, height * width).gather(1, flatIndex);
        // which offset of its window each arg-max is
        var rows = flatIndex.div(width, rounding_mode: RoundingMode.floor);
        var cols = flatIndex.remainder(width);
        var qIndex = arange(q, device: y.device);
        var originRow = qIndex.div(qw, rounding_mode: RoundingMode.floor) * stride[0] - padding[0];
        var originCol = qIndex.remainder(qw) * stride[1] - padding[1];
        var offset = (rows - originRow).div(dilation[0], rounding_mode: RoundingMode.floor) * kernel[1]
                     + (cols - originCol).div(dilation[1], rounding_mode: RoundingMode.floor);
        var weights = zeros(kernel[0] * kernel[1], q, dtype: y.dtype, device: y.device).scatter_add_(0, offset, values);

        var columns = p.U.reshape(p.U.shape[0], 1, q) * weights.unsqueeze(0);
        return nn.functional.fold(columns, (height, width), (kernel[0], kernel[1]), (dilation[0], dilation[1]), (padding[0], padding[1]), (stride[0], stride[1]));
    }

    private static Tensor Materialize(State state) => state switch
    {
        Full f => f.G,
        Signed s => s.Reference.sign() * s.U,
        Pooled p => ReplayedMaxPoolGradient.Route(p.Pool, p.PoolInput, p.PoolOutput.sign() * p.U),
        _ => throw new InvalidOperationException("unreachable"),
    };

    private static (long[] Kernel, long[] Stride, long[] Padding, long[] Dilation) PoolGeometry(MaxPool2d pool)
    {
        long[] Pair(long[]? v, long fallback) => v is null || v.Length == 0 ? [fallback, fallback] : v.Length == 1 ? [v[0], v[0]] : v;
        var kernel = Pair(pool.kernel_size, 1);
        var stride = pool.stride is null || pool.stride.Length == 0 ? kernel : Pair(pool.stride, 1);
        return (kernel, stride, Pair(pool.padding, 0), Pair(pool.dilation, 1));
    }
}
