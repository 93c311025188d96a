using static TorchSharp.torch;
using TsgbKit.Errors;

namespace TsgbKit.Imaging;

/// <summary>Heatmaps laid over the image they explain.</summary>
public static class HeatmapImage
{
    /// <summary>
    /// Blends the coloured map over <paramref name="image"/>: out = (1 - alpha) × image + alpha × colour. The map is normalized
    /// per <paramref name="normalization"/>, then resized bilinearly to the image size if it differs. Default colormap: jet.
    /// </summary>
    public static RgbImage Overlay(RgbImage image, float[,] map, Colormap? colormap = null, double alpha = 0.5,
        HeatmapNormalization normalization = HeatmapNormalization.ClampMax)
    {
        ArgumentNullException.ThrowIfNull(image);
        ArgumentNullException.ThrowIfNull(map);
        if (!(alpha >= 0 && alpha <= 1)) throw new TsgbInputException($"alpha must lie in [0, 1], not {alpha}.");
        var unit = Heatmap.Normalize(map, normalization);
        if (unit.GetLength(0) != image.Height || unit.GetLength(1) != image.Width)
            unit = Heatmap.Resize(unit, image.Width, image.Height);
        var colours = Heatmap.RenderImage(unit, colormap, HeatmapNormalization.None);
        var pixels = new byte[image.Pixels.Length];
        float a = (float)alpha;
        for (int i = 0; i < pixels.Length; i++)
            pixels[i] = (byte)MathF.Round(image.Pixels[i] * (1 - a) + colours.Pixels[i] * a);
        return new RgbImage(image.Width, image.Height, pixels);
    }

    /// <summary><see cref="Overlay(RgbImage, float[,], Colormap?, double, HeatmapNormalization)"/> with the map as a tensor (H×W, 1×H×W or 1×1×H×W).</summary>
    public static RgbImage Overlay(RgbImage image, Tensor map, Colormap? colormap = null, double alpha = 0.5,
        HeatmapNormalization normalization = HeatmapNormalization.ClampMax) =>
        Overlay(image, Heatmap.ToArray(map), colormap, alpha, normalization);

    /// <summary>The overlay as PNG bytes.</summary>
    public static byte[] OverlayPng(RgbImage image, float[,] map, Colormap? colormap = null, double alpha = 0.5,
        HeatmapNormalization normalization = HeatmapNormalization.ClampMax) =>
        Overlay(image, map, colormap, alpha, normalization).ToPng();

    /// <summary>The overlay as PNG bytes, the map as a tensor.</summary>
    public static byte[] OverlayPng(RgbImage image, Tensor map, Colormap? colormap = null, double alpha = 0.5,
        HeatmapNormalization normalization = HeatmapNormalization.ClampMax) =>
        Overlay(image, map, colormap, alpha, normalization).ToPng();
}
