using TorchSharp;
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
    public const double SmoothingFraction = 0.02;
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

    /// <summary>TorchRay's <c>imsmooth(x, σ, padding_mode='replicate')</c> on B×H×W maps.</summary>
    public static Tensor Blur(Tensor maps, double sigma)
    {
        using var scope = NewDisposeScope();
        int width = (int)Math.Ceiling(4 * sigma);
        float sqrt2 = (float)Math.Sqrt(2.0);
        var filt = arange(-width, width + 1, dtype: ScalarType.Float32).div(sqrt2 * (float)sigma + EpsilonSingle);
        filt = filt.mul(filt).neg().exp();
        filt = filt.div(filt.sum());
        var x = maps.to_type(ScalarType.Float32).unsqueeze(1);
        x = nn.functional.pad(x, [width, width, width, width], PaddingModes.Replicate);
        x = nn.functional.conv2d(x, filt.reshape(1, 1, -1, 1));
        x = nn.functional.conv2d(x, filt.reshape(1, 1, 1, -1));
        return x.squeeze(1).MoveToOuterDisposeScope();
    }

    /// <summary>The points of B×H×W maps at image resolution (blurred first when <paramref name="blur"/>).</summary>
    public static (double X, double Y)[] Points(Tensor maps, bool blur)
    {
        using var scope = NewDisposeScope();
        long h = maps.shape[^2], w = maps.shape[^1];
        var m = blur ? Blur(maps, SmoothingFraction * Math.Max(h, w)) : maps;
        var index = m.reshape(m.shape[0], -1).argmax(1).cpu().data<long>().ToArray();
        return index.Select(i => ((double)(i % w), (double)(i / w))).ToArray();
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

    /// <summary>Share of the map's positive values inside the mask (0 when the map has none).</summary>
    public static double EnergyIn(ReadOnlySpan<float> map, Mask mask)
    {
        double total = 0, inside = 0;
        for (int i = 0; i < map.Length; i++)
        {
            float e = map[i];
            if (!(e > 0)) continue;
            total += e;
            if (mask.Data[i]) inside += e;
        }
        return total > 0 ? inside / total : 0;
    }
}
