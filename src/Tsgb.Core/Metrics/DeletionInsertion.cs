using TsgbKit.Synthetic;
using TorchSharp;
using static TorchSharp.torch;
using TsgbKit.Errors;

namespace TsgbKit.Metrics;

/// <summary>
/// One causal curve: <see cref="Scores"/>[i] is the target's probability after i steps (Scores[0] before any change,
/// Scores[n] with every pixel changed), <see cref="Auc"/> = (Σ sᵢ − s₀/2 − sₙ/2) / n.
/// </summary>
public sealed record CausalCurve(IReadOnlyList<double> Scores, double Auc, int PixelsPerStep)
{
    public int Steps => Scores.Count - 1;
}

/// <summary>Mean deletion and insertion AUCs over (image, class) pairs.</summary>
public sealed record CausalMetricsResult(double DeletionAuc, double InsertionAuc, int Pairs)
{
    public override string ToString() => $"deletion AUC {DeletionAuc:F4} (lower is better), insertion AUC {InsertionAuc:F4} (higher is better), {Pairs} pairs";
}

/// <summary>
/// Deletion and insertion (Petsiuk et al., RISE, 2018). Pixels are taken in order of decreasing saliency (ties: row-major
/// order); each step changes one image side's worth of pixels (W pixels, so n = ⌈H·W / W⌉ steps) and the score is the
/// target class's probability from the model. Deletion replaces pixels with the image's mean colour (per-channel mean of
/// the normalized input); insertion starts from a blurred copy (11×11 Gaussian, σ = 5, zero padding in normalized space
/// as RISE's conv2d does) and restores the original pixels. Perturbed images go through the model in batches, without
/// gradients. Low deletion AUC and high insertion AUC are good.
/// </summary>
public static class CausalMetrics
{
    /// <summary>RISE's insertion blur: kernel side.</summary>
    public const int BlurKernelSize = 11;

    /// <summary>RISE's insertion blur: σ.</summary>
    public const double BlurSigma = 5;

    /// <summary>The deletion curve of one map.</summary>
    /// <param name="model">Normalized N×3×H×W batch → N×C probabilities.</param>
    /// <param name="input">The normalized image, 1×3×H×W or 3×H×W.</param>
    /// <param name="map">The saliency map, H×W (leading size-1 dimensions allowed).</param>
    /// <param name="classIndex">The target class.</param>
    /// <param name="batchSize">Perturbed images per model call.</param>
    /// <param name="pixelsPerStep">Pixels changed per step (default: the image width).</param>
    public static CausalCurve Deletion(Func<Tensor, Tensor> model, Tensor input, Tensor map, int classIndex,
        int batchSize = 32, int? pixelsPerStep = null) =>
        Run(model, input, map, classIndex, deletion: true, batchSize, pixelsPerStep);

    /// <summary>The insertion curve of one map (arguments as in <see cref="Deletion"/>).</summary>
    public static CausalCurve Insertion(Func<Tensor, Tensor> model, Tensor input, Tensor map, int classIndex,
        int batchSize = 32, int? pixelsPerStep = null) =>
        Run(model, input, map, classIndex, deletion: false, batchSize, pixelsPerStep);

    /// <summary>
    /// Mean deletion and insertion AUCs over scenes, one pair per class present in each scene; the explainer gets the
    /// normalized 1×3×H×W input and the class.
    /// </summary>
    public static CausalMetricsResult Evaluate(IEnumerable<Scene> scenes, Func<Tensor, Tensor> model,
        Func<Tensor, int, Tensor> explainer, int batchSize = 32)
    {
        double deletion = 0, insertion = 0;
        int pairs = 0;
        foreach (var scene in scenes)
        {
            using var scope = torch.NewDisposeScope();
            using var input = scene.ToTensor();
            foreach (var c in scene.Classes)
            {
                var map = explainer(input, c);
                deletion += Deletion(model, input, map, c, batchSize).Auc;
                insertion += Insertion(model, input, map, c, batchSize).Auc;
                pairs++;
            }
        }
        return new CausalMetricsResult(pairs == 0 ? double.NaN : deletion / pairs, pairs == 0 ? double.NaN : insertion / pairs, pairs);
    }

    /// <summary>The blurred copy insertion starts from: 11×11, σ = 5 Gaussian per channel, zero padding.</summary>
    public static Tensor BlurForInsertion(Tensor input)
    {
        using var scope = torch.NewDisposeScope();
        var x = input.dim() == 3 ? input.unsqueeze(0) : input;
        long c = x.shape[1];
        var k = torch.tensor(SaliencyMath.GaussianKernel(BlurSigma, BlurKernelSize / 2), device: x.device);
        int r = BlurKernelSize / 2;
        x = x.to_type(ScalarType.Float32);
        x = torch.nn.functional.conv2d(x, k.reshape(1, 1, 1, BlurKernelSize).expand(c, 1, 1, BlurKernelSize),
            padding: new long[] { 0, r }, groups: c);
        x = torch.nn.functional.conv2d(x, k.reshape(1, 1, BlurKernelSize, 1).expand(c, 1, BlurKernelSize, 1),
            padding: new long[] { r, 0 }, groups: c);
        return x.MoveToOuterDisposeScope();
    }

    /// <summary>Pixel indices (row-major) in order of decreasing value; equal values keep row-major order.</summary>
    public static int[] SalientOrder(Tensor map)
    {
        var (v, _, _) = SaliencyMath.MapValues(map);
        var order = Enumerable.Range(0, v.Length).ToArray();
        Array.Sort(order, (a, b) =>
        {
            int c = v[b].CompareTo(v[a]);
            return c != 0 ? c : a.CompareTo(b);
        });
        return order;
    }

    static CausalCurve Run(Func<Tensor, Tensor> model, Tensor input, Tensor map, int classIndex, bool deletion,
        int batchSize, int? pixelsPerStep)
    {
        if (batchSize <= 0) throw new TsgbInputException($"The batch size must be positive, not {batchSize}.");
        using var scope = torch.NewDisposeScope();
        using var noGrad = torch.no_grad();
        var image = (input.dim() == 3 ? input.unsqueeze(0) : input).to_type(ScalarType.Float32);
        if (image.dim() != 4 || image.shape[0] != 1) throw new TsgbInputException("Expected one image, 1×3×H×W or 3×H×W.");
        long h = image.shape[2], w = image.shape[3];
        int hw = checked((int)(h * w));
        var (values, mw, mh) = SaliencyMath.MapValues(map);
        if (mw != w || mh != h) throw new TsgbInputException($"The map is {mw}×{mh}, the image {w}×{h}.");
        int step = pixelsPerStep ?? (int)w;
        if (step <= 0) throw new TsgbInputException($"pixelsPerStep must be positive, not {pixelsPerStep}.");
        int n = (hw + step - 1) / step;

        // rank[p] = position of pixel p in the salient order; after i steps the pixels with rank < i·step are changed.
        var order = SalientOrder(map);
        var rank = new long[hw];
        for (int i = 0; i < hw; i++) rank[order[i]] = i;
        var rankT = torch.tensor(rank, new long[] { 1, 1, h, w }, device: image.device);

        Tensor start, finish;
        if (deletion)
        {
            start = image;
            finish = image.mean(new long[] { 2, 3 }, keepdim: true).expand_as(image);
        }
        else
        {
            start = BlurForInsertion(image);
            finish = image;
        }

        var scores = new double[n + 1];
        for (int first = 0; first <= n; first += batchSize)
        {
            using var batchScope = torch.NewDisposeScope();
            int count = Math.Min(batchSize, n + 1 - first);
            var thresholds = torch.arange(first, first + count, ScalarType.Int64, device: image.device).mul(step).reshape(count, 1, 1, 1);
            var changed = rankT.lt(thresholds); // count×1×H×W
            var batch = torch.where(changed, finish, start);
            var probs = model(batch);
            if (probs.dim() != 2 || probs.shape[0] != count)
                throw new TsgbInputException($"The model returned shape [{string.Join(",", probs.shape)}] for {count} images; expected N×C.");
            var p = SaliencyMath.ToDoubles(probs[.., classIndex]);
            Array.Copy(p, 0, scores, first, count);
        }
        return new CausalCurve(scores, SaliencyMath.Auc(scores), step);
    }
}

/// <summary>The deletion metric alone (see <see cref="CausalMetrics"/>).</summary>
public static class Deletion
{
    public static CausalCurve Evaluate(Func<Tensor, Tensor> model, Tensor input, Tensor map, int classIndex, int batchSize = 32,
        int? pixelsPerStep = null) => CausalMetrics.Deletion(model, input, map, classIndex, batchSize, pixelsPerStep);
}

/// <summary>The insertion metric alone (see <see cref="CausalMetrics"/>).</summary>
public static class Insertion
{
    public static CausalCurve Evaluate(Func<Tensor, Tensor> model, Tensor input, Tensor map, int classIndex, int batchSize = 32,
        int? pixelsPerStep = null) => CausalMetrics.Insertion(model, input, map, classIndex, batchSize, pixelsPerStep);
}
