using TorchSharp;
using static TorchSharp.torch;
using TsgbKit.Errors;

namespace TsgbKit.Metrics;

/// <summary>Numerical helpers shared by the metrics: Gaussian blur, ranks, Spearman correlation, AUC, argmax.</summary>
public static class SaliencyMath
{
    /// <summary>
    /// A normalized 1-D Gaussian kernel of standard deviation <paramref name="sigma"/> and the given radius
    /// (default ⌈4σ⌉, the truncation TorchRay uses), length 2·radius + 1.
    /// </summary>
    public static float[] GaussianKernel(double sigma, int? radius = null)
    {
        if (sigma <= 0) throw new TsgbInputException("sigma must be positive.");
        int r = radius ?? (int)Math.Ceiling(4 * sigma);
        var k = new double[2 * r + 1];
        double sum = 0;
        for (int i = -r; i <= r; i++) sum += k[i + r] = Math.Exp(-0.5 * i * i / (sigma * sigma));
        return k.Select(v => (float)(v / sum)).ToArray();
    }

    /// <summary>
    /// Blurs a map (H×W, N×H×W or N×C×H×W, float) with a separable Gaussian of standard deviation <paramref name="sigma"/>
    /// pixels, kernel radius ⌈4σ⌉ (or <paramref name="radius"/>), zero padding; the result has the input's shape.
    /// </summary>
    public static Tensor GaussianBlur(Tensor map, double sigma, int? radius = null)
    {
        using var scope = torch.NewDisposeScope();
        var shape = map.shape;
        if (shape.Length < 2 || shape.Length > 4) throw new TsgbInputException($"Expected 2 to 4 dimensions, got {shape.Length}.");
        long h = shape[^2], w = shape[^1];
        var x = map.to_type(ScalarType.Float32).reshape(-1, 1, h, w);
        var k = GaussianKernel(sigma, radius);
        int r = k.Length / 2;
        var kernel = torch.tensor(k, device: map.device);
        x = torch.nn.functional.conv2d(x, kernel.reshape(1, 1, 1, k.Length), padding: new long[] { 0, r });
        x = torch.nn.functional.conv2d(x, kernel.reshape(1, 1, k.Length, 1), padding: new long[] { r, 0 });
        return x.reshape(shape).MoveToOuterDisposeScope();
    }

    /// <summary>
    /// Ranks (1-based) with ties given the average of the ranks they span, as Spearman's correlation needs.
    /// </summary>
    public static double[] AverageRanks(ReadOnlySpan<double> values)
    {
        int n = values.Length;
        var order = new int[n];
        for (int i = 0; i < n; i++) order[i] = i;
        var keys = values.ToArray();
        Array.Sort(keys, order);
        var ranks = new double[n];
        for (int i = 0; i < n;)
        {
            int j = i;
            while (j + 1 < n && keys[j + 1] == keys[i]) j++;
            double rank = (i + j) / 2.0 + 1;
            for (int t = i; t <= j; t++) ranks[order[t]] = rank;
            i = j + 1;
        }
        return ranks;
    }

    /// <summary>Pearson correlation; NaN when either input is constant.</summary>
    public static double Pearson(ReadOnlySpan<double> a, ReadOnlySpan<double> b)
    {
        if (a.Length != b.Length) throw new TsgbInputException($"Lengths differ: {a.Length} vs {b.Length}.");
        int n = a.Length;
        double ma = 0, mb = 0;
        for (int i = 0; i < n; i++) { ma += a[i]; mb += b[i]; }
        ma /= n; mb /= n;
        double sab = 0, saa = 0, sbb = 0;
        for (int i = 0; i < n; i++)
        {
            double da = a[i] - ma, db = b[i] - mb;
            sab += da * db; saa += da * da; sbb += db * db;
        }
        return saa == 0 || sbb == 0 ? double.NaN : sab / Math.Sqrt(saa * sbb);
    }

    /// <summary>
    /// Spearman rank correlation: the Pearson correlation of average ranks (ties handled). NaN when either input is
    /// constant (its ranks carry no order).
    /// </summary>
    public static double Spearman(ReadOnlySpan<double> a, ReadOnlySpan<double> b)
    {
        if (a.Length != b.Length) throw new TsgbInputException($"Lengths differ: {a.Length} vs {b.Length}.");
        return Pearson(AverageRanks(a), AverageRanks(b));
    }

    /// <summary>Spearman rank correlation of two maps of equal size (all elements, flattened).</summary>
    public static double Spearman(Tensor a, Tensor b)
    {
        if (a.numel() != b.numel()) throw new TsgbInputException($"Maps differ in size: {a.numel()} vs {b.numel()}.");
        return Spearman(ToDoubles(a), ToDoubles(b));
    }

    /// <summary>
    /// Area under a curve sampled at n + 1 equally spaced points on [0, 1] (trapezoid rule, as RISE computes it):
    /// (Σ sᵢ − s₀/2 − sₙ/2) / n.
    /// </summary>
    public static double Auc(IReadOnlyList<double> scores)
    {
        if (scores.Count < 2) throw new TsgbInputException("Need at least two points.");
        double sum = 0;
        foreach (var s in scores) sum += s;
        return (sum - scores[0] / 2 - scores[^1] / 2) / (scores.Count - 1);
    }

    /// <summary>The elements of a tensor (any shape, any device) as doubles, row-major.</summary>
    public static double[] ToDoubles(Tensor t)
    {
        using var scope = torch.NewDisposeScope();
        return t.detach().cpu().to_type(ScalarType.Float64).contiguous().data<double>().ToArray();
    }

    /// <summary>A single map of shape H×W (leading dimensions of size 1 are dropped) as H×W row-major doubles.</summary>
    public static (double[] Values, int Width, int Height) MapValues(Tensor map)
    {
        var shape = map.shape;
        if (shape.Length < 2 || shape[..^2].Any(d => d != 1))
            throw new TsgbInputException($"Expected one H×W map (leading dimensions of size 1 allowed), got [{string.Join(",", shape)}].");
        return (ToDoubles(map), (int)shape[^1], (int)shape[^2]);
    }

    /// <summary>
    /// The (x, y) of a map's maximum; the first in row-major order on ties (as torch.argmax on a flattened map).
    /// NaN values are ignored.
    /// </summary>
    public static (int X, int Y) Argmax(Tensor map)
    {
        var (v, w, _) = MapValues(map);
        int best = 0;
        double bestValue = double.NegativeInfinity;
        for (int i = 0; i < v.Length; i++)
            if (v[i] > bestValue) { bestValue = v[i]; best = i; }
        return (best % w, best / w);
    }
}
