using SkiaSharp;
using TorchSharp;
using static TorchSharp.torch;
using TsgbKit.Errors;

namespace TsgbKit.Synthetic;

/// <summary>A generated scene: RGB pixels plus ground truth (per-object masks and boxes, multi-label targets).</summary>
public sealed class Scene
{
    /// <summary>ImageNet per-channel mean (RGB, 0–1 scale), used by <see cref="ToTensor"/>.</summary>
    public static IReadOnlyList<float> ImageNetMean { get; } = [0.485f, 0.456f, 0.406f];

    /// <summary>ImageNet per-channel standard deviation (RGB, 0–1 scale), used by <see cref="ToTensor"/>.</summary>
    public static IReadOnlyList<float> ImageNetStd { get; } = [0.229f, 0.224f, 0.225f];

    internal Scene(long seed, SceneLayout layout, byte[] rgb, IReadOnlyList<SceneObject> objects)
    {
        Seed = seed;
        Layout = layout;
        Width = layout.Width;
        Height = layout.Height;
        Rgb = rgb;
        Objects = objects;
        var targets = new float[SceneClasses.Count];
        foreach (var o in objects) targets[o.ClassIndex] = 1f;
        Targets = targets;
    }

    internal SceneLayout Layout { get; }

    /// <summary>The seed the scene was generated from.</summary>
    public long Seed { get; }

    public int Width { get; }
    public int Height { get; }

    /// <summary>Pixels, H×W×3 bytes, row-major, RGB order.</summary>
    public byte[] Rgb { get; }

    /// <summary>The objects in drawing order (later ones lie on top). A class appears at most once.</summary>
    public IReadOnlyList<SceneObject> Objects { get; }

    /// <summary>Multi-label target: length <see cref="SceneClasses.Count"/>, 1 where the class is present, else 0.</summary>
    public float[] Targets { get; }

    /// <summary>The indices of the classes present, ascending.</summary>
    public IReadOnlyList<int> Classes => Objects.Select(o => o.ClassIndex).Distinct().Order().ToArray();

    /// <summary>Whether the class is present.</summary>
    public bool Contains(int classIndex) => Objects.Any(o => o.ClassIndex == classIndex);

    /// <summary>The union of the visible masks of the class's objects (all false when absent).</summary>
    public Mask ClassMask(int classIndex)
    {
        var mask = new Mask(Width, Height);
        foreach (var o in Objects)
            if (o.ClassIndex == classIndex)
                for (int i = 0; i < mask.Data.Length; i++) mask.Data[i] |= o.Mask.Data[i];
        return mask;
    }

    /// <summary>The box around the class's visible pixels; null when the class is absent.</summary>
    public Box? ClassBox(int classIndex)
    {
        Box box = default;
        bool any = false;
        foreach (var o in Objects)
            if (o.ClassIndex == classIndex) { box = box.Union(o.Box); any = true; }
        return any ? box : null;
    }

    /// <summary>
    /// The image as a 1×3×H×W float tensor: scaled to 0–1 and, when <paramref name="normalize"/>, standardized with
    /// <see cref="ImageNetMean"/>/<see cref="ImageNetStd"/>. The caller owns (disposes) it.
    /// </summary>
    public Tensor ToTensor(bool normalize = true)
    {
        var data = new float[3 * Width * Height];
        WriteInput(data, normalize);
        return torch.tensor(data, new long[] { 1, 3, Height, Width });
    }

    /// <summary>Writes the CHW float image into <paramref name="destination"/> (length 3·H·W).</summary>
    internal void WriteInput(Span<float> destination, bool normalize)
    {
        int plane = Width * Height;
        if (destination.Length < 3 * plane) throw new TsgbInputException("Destination too short.");
        for (int c = 0; c < 3; c++)
        {
            float scale = normalize ? 1f / (255f * ImageNetStd[c]) : 1f / 255f;
            float shift = normalize ? -ImageNetMean[c] / ImageNetStd[c] : 0f;
            var dst = destination.Slice(c * plane, plane);
            for (int i = 0; i < plane; i++) dst[i] = Rgb[i * 3 + c] * scale + shift;
        }
    }

    /// <summary>The image encoded as PNG.</summary>
    public byte[] ToPng()
    {
        using var bitmap = new SKBitmap(new SKImageInfo(Width, Height, SKColorType.Rgba8888, SKAlphaType.Opaque));
        int rowBytes = bitmap.RowBytes;
        unsafe
        {
            var p = (byte*)bitmap.GetPixels();
            for (int y = 0; y < Height; y++)
                for (int x = 0; x < Width; x++)
                {
                    int s = (y * Width + x) * 3, d = y * rowBytes + x * 4;
                    p[d] = Rgb[s]; p[d + 1] = Rgb[s + 1]; p[d + 2] = Rgb[s + 2]; p[d + 3] = 255;
                }
        }
        using var image = SKImage.FromBitmap(bitmap);
        using var data = image.Encode(SKEncodedImageFormat.Png, 100);
        return data.ToArray();
    }

    public override string ToString() =>
        $"Scene(seed {Seed}, {Width}×{Height}, {string.Join(", ", Objects.Select(o => o.ClassName))})";
}
