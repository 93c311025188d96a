using TsgbKit.Imaging;
using TsgbKit.Synthetic;

namespace TsgbKit.Datasets;

/// <summary>
/// Where one class is in one image: its boxes (pixel boxes, right/bottom exclusive, at image resolution) and/or an exact
/// mask. <see cref="Difficult"/> is PASCAL's flag: every object of the class is marked difficult, and TorchRay skips the
/// pair. <see cref="InDifficultSubset"/> is the dataset's own answer to "is this pair in the difficult column" (the
/// scenes decide it themselves); null when a difficult-subset file decides it (<see cref="DifficultSubset"/>).
/// </summary>
public sealed record ClassRegion(int ClassIndex, IReadOnlyList<Box> Boxes, Mask? Mask = null, bool Difficult = false,
    bool? InDifficultSubset = null)
{
    /// <summary>The region the pointing game tests: the exact mask when there is one, otherwise the union of the boxes' pixels.</summary>
    public Mask RegionMask(int width, int height) => Mask ?? BoxMask(width, height);

    /// <summary>The union of the boxes' pixels (the region energy-in-box measures).</summary>
    public Mask BoxMask(int width, int height)
    {
        var mask = new Mask(width, height);
        foreach (var b in Boxes)
            for (int y = Math.Max(0, b.Top); y < Math.Min(height, b.Bottom); y++)
                for (int x = Math.Max(0, b.Left); x < Math.Min(width, b.Right); x++)
                    mask[x, y] = true;
        return mask;
    }
}

/// <summary>
/// One image of a benchmark: a stable <see cref="Id"/> (VOC's file stem, COCO's file-name stem, a scene's seed), its
/// position <see cref="Index"/> in the dataset's fixed order, its size, the classes present with their regions, and
/// the pixels, decoded only when <see cref="Load"/> is called.
/// </summary>
public sealed class AnnotatedImage(string id, int index, int width, int height, IReadOnlyList<ClassRegion> regions, Func<RgbImage> load)
{
    public string Id { get; } = id;
    public int Index { get; } = index;
    public int Width { get; } = width;
    public int Height { get; } = height;

    /// <summary>One region per class present (class index ascending).</summary>
    public IReadOnlyList<ClassRegion> Regions { get; } = regions;

    /// <summary>Decodes the image (RGB, its original size).</summary>
    public RgbImage Load() => load();

    public override string ToString() => $"{Id} ({Width}×{Height}, classes {string.Join(",", Regions.Select(r => r.ClassIndex))})";
}

/// <summary>
/// A pointing-game benchmark: class names, a fixed image order, images streamed one at a time (never all in memory).
/// The synthetic scenes (<see cref="SceneBenchmark"/>), PASCAL VOC (<see cref="VocDataset"/>) and COCO
/// (<see cref="CocoDataset"/>) implement it.
/// </summary>
public interface IAnnotatedDataset
{
    /// <summary>"voc07:test", "coco14:val2014", "scenes:500@7": names the data in part-file headers.</summary>
    string Name { get; }

    /// <summary>Class names in the model's output order.</summary>
    IReadOnlyList<string> Classes { get; }

    /// <summary>Number of images.</summary>
    int Count { get; }

    /// <summary>The pointing game's tolerance τ in pixels at image resolution (TorchRay: 15).</summary>
    double Tolerance { get; }

    /// <summary>How images become model inputs unless the user says otherwise.</summary>
    BenchmarkInput DefaultInput { get; }

    /// <summary>The images in their fixed order (index 0 first), read lazily; <paramref name="select"/> picks indices without reading the others.</summary>
    IEnumerable<AnnotatedImage> Images(Func<int, bool>? select = null);
}
