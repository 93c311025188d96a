using TorchSharp;
using TsgbKit.Metrics;
using TsgbKit.Synthetic;
using static TorchSharp.torch;

namespace TsgbKit.Evaluation.Datasets;

/// <summary>
/// TorchRay's pointing test on real data, step by step (<c>torchray/benchmark/pointing_game.py</c> and the saliency
/// post-processing of <c>torchray/attribution/common.py</c>):
/// <list type="number">
/// <item>the map (model-input resolution) is resized to the image's resolution, bilinear, align_corners = False;</item>
/// <item>maps of gradient-like methods are blurred with a Gaussian of σ = 0.02 × max(H, W) (kernel
/// exp(−(i / (√2 σ + ε))²), i = −⌈4σ⌉…⌈4σ⌉, normalised to sum 1; vertical then horizontal; replicate padding);</item>
/// <item>the point is the argmax of the flattened map (the first maximum in row-major order), (x, y) = (i mod W, i div W);</item>
/// <item>a hit when some pixel of the class's region lies strictly within τ: (x − px)² + (y − py)² &lt; τ².</item>
/// </list>
/// The centre baseline points at (W/2, H/2), not rounded.
/// </summary>
public static class MapPointing
{
    const float EpsilonSingle = 1.19209290E-07f;

    /// <summary>Maps B×h×w to B×H×W (bilinear, align_corners = False); unchanged when the sizes agree.</summary>
    public static Tensor ToImageResolution(Tensor maps, int width, int height)
    {
        if (maps.shape[^1] == width && maps.shape[^2] == height) return maps.alias();
        using var scope = NewDisposeScope();
        var x = maps.to_type(ScalarType.Float32).unsqueeze(1);
        x = nn.functional.interpolate(x, [height, width], mode: InterpolationMode.Bilinear, align_corners: false);
        return x.squeeze(1).MoveToOuterDisposeScope();
    }

    /// <summary>TorchRay's <c>imsmooth</c> kernel: exp(−(i / (√2 σ + ε))²), i = −⌈4σ⌉…⌈4σ⌉, in float32, normalised to sum 1.</summary>
    public static float[] Kernel(double sigma)
    {
        int width = (int)Math.Ceiling(4 * sigma);
        float denominator = MathF.Sqrt(2f) * (float)sigma + EpsilonSingle;
        var filt = new float[2 * width + 1];
        float sum = 0;
        for (int i = -width; i <= width; i++)
        {
            float t = i / denominator;
            sum += filt[i + width] = MathF.Exp(-t * t);
        }
        for (int i = 0; i < filt.Length; i++) filt[i] /= sum;
        return filt;
    }

    /// <summary>
    /// TorchRay's <c>imsmooth(x, σ, padding_mode='replicate')</c> on B×H×W maps: vertical then horizontal pass, edges
    /// replicated. Computed in managed code (no libtorch call between the method's passes).
    /// </summary>
    public static Tensor Blur(Tensor maps, double sigma)
    {
        int b = (int)maps.shape[0], h = (int)maps.shape[^2], w = (int)maps.shape[^1];
        return tensor(BlurValues(Values(maps), b, h, w, sigma), [b, h, w]);
    }

    static float[] Values(Tensor maps)
    {
        using var c = maps.detach().cpu().to_type(ScalarType.Float32).contiguous();
        return c.data<float>().ToArray();
    }

    static float[] BlurValues(float[] values, int count, int h, int w, double sigma)
    {
        var filt = Kernel(sigma);
        int r = filt.Length / 2, plane = h * w;
        var column = new float[plane];
        var padded = new float[w + 2 * r];
        var result = new float[values.Length];
        for (int m = 0; m < count; m++)
        {
            var src = values.AsSpan(m * plane, plane);
            // vertical pass: whole rows at a time, the source row index clamped (replicate padding)
            column.AsSpan().Clear();
            for (int y = 0; y < h; y++)
            {
                var dstRow = column.AsSpan(y * w, w);
                for (int i = 0; i < filt.Length; i++)
                {
                    float f = filt[i];
                    var srcRow = src.Slice(Math.Clamp(y + i - r, 0, h - 1) * w, w);
                    for (int x = 0; x < w; x++) dstRow[x] += f * srcRow[x];
                }
            }
            // horizontal pass: each row copied into a replicate-padded buffer, then a plain convolution
            var dst = result.AsSpan(m * plane, plane);
            for (int y = 0; y < h; y++)
            {
                var row = column.AsSpan(y * w, w);
                padded.AsSpan(0, r).Fill(row[0]);
                row.CopyTo(padded.AsSpan(r, w));
                padded.AsSpan(r + w, r).Fill(row[w - 1]);
                var dstRow = dst.Slice(y * w, w);
                for (int x = 0; x < w; x++)
                {
                    float acc = 0;
                    for (int i = 0; i < filt.Length; i++) acc += filt[i] * padded[x + i];
                    dstRow[x] = acc;
                }
            }
        }
        return result;
    }

    /// <summary>The points of B×H×W maps at image resolution (blurred first when <paramref name="blur"/>).</summary>
    public static (double X, double Y)[] Points(Tensor maps, bool blur) =>
        Points(Values(maps), (int)maps.shape[0], (int)maps.shape[^2], (int)maps.shape[^1], blur);

    /// <summary>The same for maps already read out: <paramref name="values"/> holds b row-major h×w planes (left unchanged).</summary>
    public static (double X, double Y)[] Points(float[] values, int b, int h, int w, bool blur)
    {
        if (blur) values = BlurValues(values, b, h, w, PointingGame.SmoothingSigma(w, h));
        var points = new (double, double)[b];
        int plane = h * w;
        for (int m = 0; m < b; m++)
        {
            int best = 0;
            float bestValue = float.NegativeInfinity;
            for (int i = 0; i < plane; i++)
            {
                float v = values[m * plane + i];
                if (v > bestValue) { bestValue = v; best = i; } // the first maximum, as torch.argmax
            }
            points[m] = (best % w, best / w);
        }
        return points;
    }

    /// <summary>TorchRay's hit test: some region pixel with (x − px)² + (y − py)² &lt; τ².</summary>
    public static bool IsHit(Mask region, (double X, double Y) point, double tolerance)
    {
        double t2 = tolerance * tolerance;
        int x0 = Math.Max(0, (int)Math.Floor(point.X - tolerance)), x1 = Math.Min(region.Width - 1, (int)Math.Ceiling(point.X + tolerance));
        int y0 = Math.Max(0, (int)Math.Floor(point.Y - tolerance)), y1 = Math.Min(region.Height - 1, (int)Math.Ceiling(point.Y + tolerance));
        for (int y = y0; y <= y1; y++)
        {
            double dy = y - point.Y;
            for (int x = x0; x <= x1; x++)
            {
                double dx = x - point.X;
                // float32 as TorchRay's meshgrid computes it
                if ((float)((float)(dx * dx) + (float)(dy * dy)) < (float)t2 && region[x, y]) return true;
            }
        }
        return false;
    }

    /// <summary>The centre baseline's point.</summary>
    public static (double X, double Y) Centre(int width, int height) => (width / 2.0, height / 2.0);
}
