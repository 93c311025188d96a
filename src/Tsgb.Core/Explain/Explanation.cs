using Microsoft.Data.Analysis;
using TsgbKit.Engine;
using TsgbKit.Imaging;
using static TorchSharp.torch;

namespace TsgbKit.Explain;

/// <summary>
/// One saliency map for one target, with what produced it. Holds managed copies only (no native tensors), so
/// explanations can be kept, compared and rendered freely.
/// </summary>
public sealed class Explanation
{
    private LayerStatistics? _statistics;
    private readonly DeferredStatistics? _deferred;
    private readonly int _row;

    public Explanation(float[] map, int height, int width, int target, string targetName, float score,
        float probability, string method, string description, RgbImage image, LayerStatistics statistics)
        : this(map, height, width, target, targetName, score, probability, method, description, image)
    {
        _statistics = statistics;
    }

    /// <param name="statistics">computes the statistics of a whole set on first read</param>
    /// <param name="row">this explanation's place in that set</param>
    internal Explanation(float[] map, int height, int width, int target, string targetName, float score,
        float probability, string method, string description, RgbImage image, DeferredStatistics statistics, int row)
        : this(map, height, width, target, targetName, score, probability, method, description, image)
    {
        _deferred = statistics;
        _row = row;
    }

    private Explanation(float[] map, int height, int width, int target, string targetName, float score,
        float probability, string method, string description, RgbImage image)
    {
        Map = map;
        Height = height;
        Width = width;
        Target = target;
        TargetName = targetName;
        Score = score;
        Probability = probability;
        Method = method;
        Description = description;
        Image = image;
    }

    /// <summary>The map at input resolution, row-major H×W, raw (signed where the method is).</summary>
    public float[] Map { get; }
    public int Height { get; }
    public int Width { get; }

    /// <summary>The class explained.</summary>
    public int Target { get; }
    public string TargetName { get; }

    /// <summary>The target's raw score (logit) and probability, from the forward pass that made the map.</summary>
    public float Score { get; }
    public float Probability { get; }

    /// <summary>The method's name (e.g. "tsgb") and a sentence on what it computes.</summary>
    public string Method { get; }
    public string Description { get; }

    /// <summary>The input image as the model saw it, for overlays.</summary>
    public RgbImage Image { get; }

    /// <summary>
    /// Per-layer gradient statistics of this explanation's backward pass. From the fluent API they are computed on
    /// first read, by running the method again for the same image and targets with statistics on (one run for
    /// all targets of a set), so the model must still be alive, and unchanged, when they are first read.
    /// </summary>
    public LayerStatistics Statistics => _statistics ??= _deferred?.For(_row) ?? new LayerStatistics([]);

    /// <summary>Per-layer gradient statistics as a DataFrame, one row per hooked layer in forward order.</summary>
    public DataFrame LayerStats => Statistics.ToDataFrame();

    /// <summary>The map value at (row, column).</summary>
    public float this[int row, int column] => Map[row * Width + column];

    /// <summary>The map as a new H×W tensor (the caller disposes it).</summary>
    public Tensor ToTensor() => tensor(Map, [Height, Width]);

    /// <summary>Row and column of the map's maximum.</summary>
    public (int Row, int Column) ArgMax()
    {
        int best = 0;
        for (int i = 1; i < Map.Length; i++) if (Map[i] > Map[best]) best = i;
        return (best / Width, best % Width);
    }

    /// <summary>The map as an H×W array.</summary>
    public float[,] ToArray()
    {
        var array = new float[Height, Width];
        Buffer.BlockCopy(Map, 0, array, 0, Map.Length * sizeof(float));
        return array;
    }

    /// <summary>The heatmap over the image (negative values clamped to 0, then scaled by the maximum).</summary>
    public RgbImage Overlay(Colormap? colormap = null, double alpha = 0.5) => HeatmapImage.Overlay(Image, ToArray(), colormap, alpha);

    /// <summary>The overlay as PNG bytes.</summary>
    public byte[] ToPng(Colormap? colormap = null, double alpha = 0.5) => Overlay(colormap, alpha).ToPng();

    /// <summary>A short title for grids: method, target and score.</summary>
    public string Title => $"{Method}\n{TargetName} ({Score:0.##})";

    public override string ToString() =>
        $"{Method} for '{TargetName}' ({Target}): score {Score:0.###}, p = {Probability:0.###}; map {Height}×{Width}";
}
