using TsgbKit.Errors;

namespace TsgbKit.Imaging;

/// <summary>
/// How an image becomes a model input: either resize the shorter side to <see cref="ResizeShorterSide"/> then center-crop
/// <see cref="CenterCrop"/> (torchvision's Resize(256) + CenterCrop(224), the default), or resize directly to
/// <see cref="ResizeTo"/>; then scale to [0, 1] and normalize per channel with <see cref="Mean"/> and <see cref="Std"/>.
/// </summary>
public sealed record Preprocessing
{
    public static IReadOnlyList<float> ImageNetMean { get; } = [0.485f, 0.456f, 0.406f];
    public static IReadOnlyList<float> ImageNetStd { get; } = [0.229f, 0.224f, 0.225f];

    /// <summary>Resize shorter side to 256, center-crop 224, ImageNet mean/std.</summary>
    public static Preprocessing ImageNet { get; } = new();

    /// <summary>Resize the shorter side to <paramref name="shorterSide"/> (aspect kept), then center-crop a square of <paramref name="crop"/>.</summary>
    public static Preprocessing ResizeAndCrop(int shorterSide = 256, int crop = 224) =>
        new() { ResizeShorterSide = shorterSide, CenterCrop = crop };

    /// <summary>Resize directly to <paramref name="width"/>×<paramref name="height"/> (aspect not kept), no crop.</summary>
    public static Preprocessing Resize(int width, int height) =>
        new() { ResizeShorterSide = null, CenterCrop = null, ResizeTo = (width, height) };

    /// <summary>Target of the shorter side; null: no shorter-side resize.</summary>
    public int? ResizeShorterSide { get; init; } = 256;

    /// <summary>Side of the square center crop; null: no crop.</summary>
    public int? CenterCrop { get; init; } = 224;

    /// <summary>Direct resize; when set, <see cref="ResizeShorterSide"/> is not used.</summary>
    public (int Width, int Height)? ResizeTo { get; init; }

    /// <summary>Per-channel (R, G, B) mean subtracted from values in [0, 1].</summary>
    public IReadOnlyList<float> Mean { get; init; } = ImageNetMean;

    /// <summary>Per-channel (R, G, B) standard deviation the values are divided by.</summary>
    public IReadOnlyList<float> Std { get; init; } = ImageNetStd;

    /// <summary>The size of the image produced from a <paramref name="width"/>×<paramref name="height"/> input.</summary>
    public (int Width, int Height) OutputSize(int width, int height)
    {
        var (w, h) = ResizedSize(width, height);
        return CenterCrop is int c ? (c, c) : (w, h);
    }

    /// <summary>Resizes and crops <paramref name="image"/>: the picture the model sees, for display under a heatmap.</summary>
    public RgbImage Apply(RgbImage image)
    {
        ArgumentNullException.ThrowIfNull(image);
        Validate();
        var (w, h) = ResizedSize(image.Width, image.Height);
        var resized = w == image.Width && h == image.Height ? image : image.Resize(w, h);
        if (CenterCrop is not int crop) return resized;
        var (left, top) = CropOrigin(w, h, crop);
        return left == 0 && top == 0 && w == crop && h == crop ? resized : resized.Crop(left, top, crop, crop);
    }

    /// <summary>torchvision's CenterCrop origin: round((size - crop) / 2), rounding halves to even as Python does.</summary>
    public static (int Left, int Top) CropOrigin(int width, int height, int crop) =>
        ((int)Math.Round((width - crop) / 2.0, MidpointRounding.ToEven), (int)Math.Round((height - crop) / 2.0, MidpointRounding.ToEven));

    (int Width, int Height) ResizedSize(int width, int height)
    {
        if (ResizeTo is { } to) return to;
        if (ResizeShorterSide is not int s) return (width, height);
        // torchvision: the shorter side becomes s, the longer int(s * long / short) (truncated).
        if (width <= height) return (s, (int)((long)s * height / width));
        return ((int)((long)s * width / height), s);
    }

    void Validate()
    {
        if (ResizeTo is { } to && (to.Width <= 0 || to.Height <= 0))
            throw new TsgbInputException($"ResizeTo {to.Width}×{to.Height} must be positive.");
        if (ResizeShorterSide is <= 0) throw new TsgbInputException($"ResizeShorterSide {ResizeShorterSide} must be positive.");
        if (CenterCrop is <= 0) throw new TsgbInputException($"CenterCrop {CenterCrop} must be positive.");
        if (Mean.Count != 3 || Std.Count != 3) throw new TsgbInputException("Mean and Std need three values (R, G, B).");
        if (Std.Any(s => !(s > 0))) throw new TsgbInputException("Std values must be positive.");
    }
}
