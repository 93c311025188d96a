using TorchSharp;
using static TorchSharp.torch;
using TsgbKit.Errors;

namespace TsgbKit.Imaging;

/// <summary>How map values become colormap positions in [0, 1].</summary>
public enum HeatmapNormalization
{
    /// <summary>Negatives become 0, then divide by the maximum (Grad-CAM's convention). An all-non-positive map renders as 0.</summary>
    ClampMax,
    /// <summary>(value - min) / (max - min). A constant map renders as 0.</summary>
    MinMax,
    /// <summary>Values are already in [0, 1]; they are only clamped.</summary>
    None,
}

/// <summary>Saliency maps (H×W floats) to colours.</summary>
public static class Heatmap
{
    /// <summary>
    /// A 2-D map from a tensor of shape H×W, or with leading singleton dimensions (1×H×W, 1×1×H×W), on any device.
    /// </summary>
    public static float[,] ToArray(Tensor map)
    {
        ArgumentNullException.ThrowIfNull(map);
        var shape = map.shape;
        int first = 0;
        while (shape.Length - first > 2 && shape[first] == 1) first++;
        if (shape.Length - first != 2)
            throw new TsgbInputException($"A heatmap must be H×W (leading dimensions of size 1 allowed), got shape [{string.Join(", ", shape)}].");
        int h = (int)shape[first], w = (int)shape[first + 1];
        var data = TsgbKit.Tensors.TensorData.ToFloats(map);
        var result = new float[h, w];
        Buffer.BlockCopy(data, 0, result, 0, data.Length * sizeof(float));
        return result;
    }

    /// <summary>The map scaled into [0, 1] per <paramref name="normalization"/>; NaN and infinities count as 0.</summary>
    public static float[,] Normalize(float[,] map, HeatmapNormalization normalization = HeatmapNormalization.ClampMax)
    {
        ArgumentNullException.ThrowIfNull(map);
        int h = map.GetLength(0), w = map.GetLength(1);
        var result = new float[h, w];
        float min = float.PositiveInfinity, max = float.NegativeInfinity;
        foreach (var v in map)
        {
            if (!float.IsFinite(v)) continue;
            min = Math.Min(min, v);
            max = Math.Max(max, v);
        }
        for (int y = 0; y < h; y++)
            for (int x = 0; x < w; x++)
            {
                float v = map[y, x];
                if (!float.IsFinite(v)) v = 0;
                result[y, x] = normalization switch
                {
                    HeatmapNormalization.ClampMax => max > 0 ? Math.Max(v, 0) / max : 0,
                    HeatmapNormalization.MinMax => max > min ? (v - min) / (max - min) : 0,
                    _ => Math.Clamp(v, 0, 1),
                };
            }
        return result;
    }

    /// <summary>Bilinear resampling to <paramref name="width"/>×<paramref name="height"/> (pixel centres aligned, as F.interpolate with align_corners=False).</summary>
    public static float[,] Resize(float[,] map, int width, int height)
    {
        ArgumentNullException.ThrowIfNull(map);
        if (width <= 0 || height <= 0) throw new TsgbInputException($"Cannot resize a map to {width}×{height}.");
        int h = map.GetLength(0), w = map.GetLength(1);
        if (h == 0 || w == 0) throw new TsgbInputException("The map is empty.");
        if (h == height && w == width) return (float[,])map.Clone();
        var result = new float[height, width];
        double sy = (double)h / height, sx = (double)w / width;
        for (int y = 0; y < height; y++)
        {
            double fy = Math.Max((y + 0.5) * sy - 0.5, 0);
            int y0 = Math.Min((int)fy, h - 1), y1 = Math.Min(y0 + 1, h - 1);
            double wy = fy - y0;
            for (int x = 0; x < width; x++)
            {
                double fx = Math.Max((x + 0.5) * sx - 0.5, 0);
                int x0 = Math.Min((int)fx, w - 1), x1 = Math.Min(x0 + 1, w - 1);
                double wx = fx - x0;
                double top = map[y0, x0] * (1 - wx) + map[y0, x1] * wx;
                double bottom = map[y1, x0] * (1 - wx) + map[y1, x1] * wx;
                result[y, x] = (float)(top * (1 - wy) + bottom * wy);
            }
        }
        return result;
    }

    /// <summary>Colours the map: RGBA bytes (H × W × 4, alpha 255), normalized per <paramref name="normalization"/>.</summary>
    public static byte[] Render(float[,] map, Colormap? colormap = null, HeatmapNormalization normalization = HeatmapNormalization.ClampMax)
    {
        var rgb = RenderImage(map, colormap, normalization);
        var rgba = new byte[rgb.Width * rgb.Height * 4];
        for (int i = 0, j = 0; i < rgb.Pixels.Length; i += 3, j += 4)
        {
            rgba[j] = rgb.Pixels[i];
            rgba[j + 1] = rgb.Pixels[i + 1];
            rgba[j + 2] = rgb.Pixels[i + 2];
            rgba[j + 3] = 255;
        }
        return rgba;
    }

    /// <summary>Colours the map as an RGB image of its own size (default colormap: jet).</summary>
    public static RgbImage RenderImage(float[,] map, Colormap? colormap = null, HeatmapNormalization normalization = HeatmapNormalization.ClampMax)
    {
        colormap ??= Colormap.Jet;
        var unit = Normalize(map, normalization);
        int h = unit.GetLength(0), w = unit.GetLength(1);
        var pixels = new byte[w * h * 3];
        var table = colormap.Table;
        int o = 0;
        for (int y = 0; y < h; y++)
            for (int x = 0; x < w; x++)
            {
                int i = 3 * colormap.Index(unit[y, x]);
                pixels[o++] = table[i];
                pixels[o++] = table[i + 1];
                pixels[o++] = table[i + 2];
            }
        return new RgbImage(w, h, pixels);
    }

    /// <summary>The coloured map alone as PNG bytes, resized (bilinear, before colouring) to <paramref name="width"/>×<paramref name="height"/> when given.</summary>
    public static byte[] RenderPng(float[,] map, Colormap? colormap = null, HeatmapNormalization normalization = HeatmapNormalization.ClampMax,
        int? width = null, int? height = null)
    {
        var source = width is int w && height is int h ? Resize(map, w, h) : map;
        return RenderImage(source, colormap, normalization).ToPng();
    }
}
