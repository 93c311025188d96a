using TsgbKit.Synthetic;
using TorchSharp;
using static TorchSharp.torch;

namespace TsgbKit.Metrics;

/// <summary>Energy-based pointing game results: the mean over all (image, class) pairs and per class (NaN: no pairs).</summary>
public sealed record EnergyPointingGameResult(IReadOnlyList<string> ClassNames, IReadOnlyList<double> ClassMeans,
    IReadOnlyList<int> Pairs, double Mean)
{
    public override string ToString() =>
        $"energy pointing game {Mean:F3} [" + string.Join(" ", ClassNames.Select((n, c) => $"{n}:{ClassMeans[c]:F3}")) + "]";
}

/// <summary>
/// The energy-based pointing game of Score-CAM (Wang et al. 2020): the share of the map's positive energy inside the
/// target's bounding box. The map is clamped at 0; score = Σ inside box ÷ Σ over the image, 0 when the total is 0.
/// </summary>
public static class EnergyPointingGame
{
    /// <summary>The score of one map (H×W at image resolution, leading size-1 dimensions allowed) for one box.</summary>
    public static double Score(Tensor map, Box box)
    {
        var (v, w, h) = SaliencyMath.MapValues(map);
        double total = 0, inside = 0;
        for (int y = 0; y < h; y++)
            for (int x = 0; x < w; x++)
            {
                double e = v[y * w + x];
                if (!(e > 0)) continue;
                total += e;
                if (box.Contains(x, y)) inside += e;
            }
        return total > 0 ? inside / total : 0;
    }

    /// <summary>The same share for a map already at image resolution (row-major values) and a region mask of its size.</summary>
    public static double Score(ReadOnlySpan<float> map, Mask region)
    {
        double total = 0, inside = 0;
        for (int i = 0; i < map.Length; i++)
        {
            float e = map[i];
            if (!(e > 0)) continue;
            total += e;
            if (region.Data[i]) inside += e;
        }
        return total > 0 ? inside / total : 0;
    }

    /// <summary>
    /// Runs over scenes: for each scene and each class in it, the explainer's map (for the normalized 1×3×H×W input) is
    /// scored against the class's box.
    /// </summary>
    public static EnergyPointingGameResult Evaluate(IEnumerable<Scene> scenes, Func<Tensor, int, Tensor> explainer)
    {
        int c = SceneClasses.Count;
        var sums = new double[c];
        var counts = new int[c];
        double total = 0;
        int pairs = 0;
        foreach (var scene in scenes)
        {
            using var scope = torch.NewDisposeScope();
            using var input = scene.ToTensor();
            foreach (var cls in scene.Classes)
            {
                double s = Score(explainer(input, cls), scene.ClassBox(cls)!.Value);
                sums[cls] += s; counts[cls]++;
                total += s; pairs++;
            }
        }
        return new EnergyPointingGameResult(SceneClasses.Names,
            sums.Select((s, i) => counts[i] == 0 ? double.NaN : s / counts[i]).ToArray(), counts,
            pairs == 0 ? double.NaN : total / pairs);
    }
}
