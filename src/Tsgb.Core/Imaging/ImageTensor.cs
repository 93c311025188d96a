using SkiaSharp;
using TorchSharp;
using static TorchSharp.torch;
using TsgbKit.Errors;

namespace TsgbKit.Imaging;

/// <summary>Images to normalized 1×3×H×W float32 model inputs, and back to RGB for display.</summary>
public static class ImageTensor
{
    /// <summary>Loads an image file and preprocesses it (ImageNet: resize 256, crop 224, mean/std) into a 1×3×H×W tensor on <paramref name="device"/>.</summary>
    public static Tensor FromFile(string path, Preprocessing? preprocessing = null, Device? device = null) =>
        FromImage(RgbImage.Load(path), preprocessing, device);

    /// <summary>Preprocesses an <see cref="SKBitmap"/>.</summary>
    public static Tensor FromBitmap(SKBitmap bitmap, Preprocessing? preprocessing = null, Device? device = null) =>
        FromImage(RgbImage.FromBitmap(bitmap), preprocessing, device);

    /// <summary>Preprocesses interleaved RGB bytes (width × height × 3).</summary>
    public static Tensor FromRgb(byte[] rgb, int width, int height, Preprocessing? preprocessing = null, Device? device = null) =>
        FromImage(new RgbImage(width, height, rgb), preprocessing, device);

    /// <summary>Resizes/crops <paramref name="image"/> per <paramref name="preprocessing"/> and normalizes it into a 1×3×H×W tensor.</summary>
    public static Tensor FromImage(RgbImage image, Preprocessing? preprocessing = null, Device? device = null)
    {
        preprocessing ??= Preprocessing.ImageNet;
        return Normalize(preprocessing.Apply(image), preprocessing.Mean, preprocessing.Std, device);
    }

    /// <summary>No resize or crop: (pixel / 255 - mean) / std per channel, as a 1×3×H×W float32 tensor.</summary>
    public static Tensor Normalize(RgbImage image, IReadOnlyList<float>? mean = null, IReadOnlyList<float>? std = null, Device? device = null)
    {
        ArgumentNullException.ThrowIfNull(image);
        mean ??= Preprocessing.ImageNetMean;
        std ??= Preprocessing.ImageNetStd;
        if (mean.Count != 3 || std.Count != 3) throw new TsgbInputException("Mean and std need three values (R, G, B).");
        int plane = image.Width * image.Height;
        var data = new float[3 * plane];
        var pixels = image.Pixels;
        for (int c = 0; c < 3; c++)
        {
            float scale = 1f / (255f * std[c]);
            float shift = mean[c] / std[c];
            int o = c * plane;
            for (int i = 0; i < plane; i++) data[o + i] = pixels[3 * i + c] * scale - shift;
        }
        var t = tensor(data, [1, 3, image.Height, image.Width]);
        if (device is null || device.type == DeviceType.CPU) return t;
        using (t) return t.to(device);
    }

    /// <summary>
    /// The inverse for display: a normalized 1×3×H×W (or 3×H×W) tensor, on any device, to RGB bytes
    /// (value × std + mean, clamped to [0, 1], × 255, rounded).
    /// </summary>
    public static RgbImage ToRgb(Tensor normalized, IReadOnlyList<float>? mean = null, IReadOnlyList<float>? std = null)
    {
        ArgumentNullException.ThrowIfNull(normalized);
        mean ??= Preprocessing.ImageNetMean;
        std ??= Preprocessing.ImageNetStd;
        var shape = normalized.shape;
        if (!(shape.Length == 4 && shape[0] == 1 && shape[1] == 3) && !(shape.Length == 3 && shape[0] == 3))
            throw new TsgbInputException($"Expected a 1×3×H×W or 3×H×W image tensor, got shape [{string.Join(", ", shape)}].");
        int height = (int)shape[^2], width = (int)shape[^1];
        var data = TsgbKit.Tensors.TensorData.ToFloats(normalized);
        int plane = width * height;
        var pixels = new byte[3 * plane];
        for (int c = 0; c < 3; c++)
        {
            for (int i = 0; i < plane; i++)
            {
                float v = data[c * plane + i] * std[c] + mean[c];
                pixels[3 * i + c] = ToByte(v);
            }
        }
        return new RgbImage(width, height, pixels);
    }

    internal static byte ToByte(float unit)
    {
        if (!(unit > 0)) return 0; // also NaN
        if (unit >= 1) return 255;
        return (byte)MathF.Round(unit * 255f);
    }
}
