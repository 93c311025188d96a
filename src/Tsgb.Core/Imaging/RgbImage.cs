using SkiaSharp;
using TsgbKit.Errors;

namespace TsgbKit.Imaging;

/// <summary>The one error raised for a missing, unreadable, corrupt or unsupported image; the message names the file.</summary>
public sealed class ImageLoadException : Exception, IUserError
{
    public ImageLoadException(string source, string detail, Exception? inner = null) : base($"Image '{source}': {detail}", inner)
    {
        Source = source;
        Detail = detail;
    }

    /// <summary>The file (or "(in memory)") concerned.</summary>
    public new string Source { get; }
    public string Detail { get; }
}

/// <summary>An 8-bit RGB image, rows top to bottom, pixels interleaved R, G, B (no alpha).</summary>
public sealed class RgbImage
{
    /// <summary>Wraps <paramref name="pixels"/> (length width × height × 3; not copied).</summary>
    public RgbImage(int width, int height, byte[] pixels)
    {
        if (width <= 0 || height <= 0) throw new TsgbInputException($"An image needs a positive size, not {width}×{height}.");
        ArgumentNullException.ThrowIfNull(pixels);
        if (pixels.Length != (long)width * height * 3)
            throw new TsgbInputException($"A {width}×{height} RGB image needs {(long)width * height * 3} bytes, not {pixels.Length}.");
        Width = width;
        Height = height;
        Pixels = pixels;
    }

    /// <summary>A <paramref name="width"/>×<paramref name="height"/> image filled with one colour.</summary>
    public static RgbImage Solid(int width, int height, byte r, byte g, byte b)
    {
        var pixels = new byte[checked(width * height * 3)];
        for (int i = 0; i < pixels.Length; i += 3) { pixels[i] = r; pixels[i + 1] = g; pixels[i + 2] = b; }
        return new RgbImage(width, height, pixels);
    }

    public int Width { get; }
    public int Height { get; }

    /// <summary>Interleaved RGB bytes, <c>(y * Width + x) * 3</c> is the red byte of pixel (x, y).</summary>
    public byte[] Pixels { get; }

    public (byte R, byte G, byte B) this[int x, int y]
    {
        get
        {
            int i = (y * Width + x) * 3;
            return (Pixels[i], Pixels[i + 1], Pixels[i + 2]);
        }
    }

    /// <summary>Decodes a PNG, JPEG, BMP, GIF or WebP file. EXIF orientation is not applied (as with PIL in torchvision).</summary>
    public static RgbImage Load(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        byte[] bytes;
        try
        {
            bytes = File.ReadAllBytes(path);
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            throw new ImageLoadException(path, "file not found", e);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new ImageLoadException(path, $"cannot be read: {e.Message}", e);
        }
        return Decode(bytes, path);
    }

    /// <summary>Decodes an encoded image held in memory; <paramref name="source"/> names it in errors.</summary>
    public static RgbImage Decode(byte[] encoded, string source = "(in memory)")
    {
        ArgumentNullException.ThrowIfNull(encoded);
        if (encoded.Length == 0) throw new ImageLoadException(source, "the file is empty");
        using var stream = new MemoryStream(encoded, writable: false);
        using var codec = SKCodec.Create(stream, out var created);
        if (codec is null)
            throw new ImageLoadException(source,
                $"not a supported image (PNG, JPEG, BMP, GIF or WebP), or corrupt ({Describe(created)})");
        var info = new SKImageInfo(codec.Info.Width, codec.Info.Height, SKColorType.Rgba8888, SKAlphaType.Unpremul);
        if (info.Width <= 0 || info.Height <= 0) throw new ImageLoadException(source, $"has no pixels ({info.Width}×{info.Height})");
        using var bitmap = new SKBitmap(info);
        var result = codec.GetPixels(info, bitmap.GetPixels());
        if (result != SKCodecResult.Success)
            throw new ImageLoadException(source, $"the {codec.EncodedFormat} data is corrupt or truncated ({Describe(result)})");
        return FromRgba(bitmap.GetPixelSpan(), info.Width, info.Height, info.RowBytes);
    }

    /// <summary>Copies an <see cref="SKBitmap"/> (any colour type; alpha is dropped, as PIL's convert('RGB') does).</summary>
    public static RgbImage FromBitmap(SKBitmap bitmap)
    {
        ArgumentNullException.ThrowIfNull(bitmap);
        if (bitmap.ColorType == SKColorType.Rgba8888 && bitmap.AlphaType != SKAlphaType.Premul)
            return FromRgba(bitmap.GetPixelSpan(), bitmap.Width, bitmap.Height, bitmap.RowBytes);
        var info = new SKImageInfo(bitmap.Width, bitmap.Height, SKColorType.Rgba8888, SKAlphaType.Unpremul);
        var buffer = new byte[info.BytesSize];
        bool read = false;
        using (var pixmap = bitmap.PeekPixels())
        {
            unsafe
            {
                fixed (byte* target = buffer) read = pixmap is not null && pixmap.ReadPixels(info, (IntPtr)target, info.RowBytes, 0, 0);
            }
        }
        if (!read) throw new ImageLoadException("(bitmap)", $"colour type {bitmap.ColorType} cannot be converted to RGB");
        return FromRgba(buffer, info.Width, info.Height, info.RowBytes);
    }

    static RgbImage FromRgba(ReadOnlySpan<byte> rgba, int width, int height, int rowBytes)
    {
        var pixels = new byte[width * height * 3];
        for (int y = 0; y < height; y++)
        {
            var row = rgba.Slice(y * rowBytes, width * 4);
            int o = y * width * 3;
            for (int x = 0; x < width; x++)
            {
                pixels[o++] = row[4 * x];
                pixels[o++] = row[4 * x + 1];
                pixels[o++] = row[4 * x + 2];
            }
        }
        return new RgbImage(width, height, pixels);
    }

    /// <summary>A new opaque RGBA bitmap with these pixels; the caller disposes it.</summary>
    public SKBitmap ToBitmap()
    {
        var bitmap = new SKBitmap(new SKImageInfo(Width, Height, SKColorType.Rgba8888, SKAlphaType.Opaque));
        int rowBytes = bitmap.RowBytes;
        unsafe
        {
            var target = new Span<byte>((void*)bitmap.GetPixels(), rowBytes * Height);
            for (int y = 0; y < Height; y++)
            {
                int o = y * Width * 3;
                var row = target.Slice(y * rowBytes, Width * 4);
                for (int x = 0; x < Width; x++)
                {
                    row[4 * x] = Pixels[o++];
                    row[4 * x + 1] = Pixels[o++];
                    row[4 * x + 2] = Pixels[o++];
                    row[4 * x + 3] = 255;
                }
            }
        }
        return bitmap;
    }

    /// <summary>Resamples to <paramref name="width"/>×<paramref name="height"/> (Skia high quality: mipmapped, cubic).</summary>
    public RgbImage Resize(int width, int height)
    {
        if (width <= 0 || height <= 0) throw new TsgbInputException($"Cannot resize to {width}×{height}.");
        if (width == Width && height == Height) return new RgbImage(width, height, (byte[])Pixels.Clone());
        using var source = ToBitmap();
        using var resized = source.Resize(new SKImageInfo(width, height, SKColorType.Rgba8888, SKAlphaType.Opaque), SKFilterQuality.High)
                            ?? throw new InvalidOperationException($"SkiaSharp could not resize a {Width}×{Height} image to {width}×{height}.");
        return FromRgba(resized.GetPixelSpan(), width, height, resized.RowBytes);
    }

    /// <summary>
    /// The <paramref name="width"/>×<paramref name="height"/> region whose top-left corner is (<paramref name="left"/>, <paramref name="top"/>);
    /// parts outside the image are black (as torchvision pads a crop larger than the image).
    /// </summary>
    public RgbImage Crop(int left, int top, int width, int height)
    {
        if (width <= 0 || height <= 0) throw new TsgbInputException($"Cannot crop to {width}×{height}.");
        var pixels = new byte[width * height * 3];
        for (int y = 0; y < height; y++)
        {
            int sy = top + y;
            if (sy < 0 || sy >= Height) continue;
            int x0 = Math.Max(0, -left), x1 = Math.Min(width, Width - left);
            if (x1 <= x0) continue;
            Array.Copy(Pixels, (sy * Width + left + x0) * 3, pixels, (y * width + x0) * 3, (x1 - x0) * 3);
        }
        return new RgbImage(width, height, pixels);
    }

    /// <summary>Encodes as PNG.</summary>
    public byte[] ToPng()
    {
        using var bitmap = ToBitmap();
        return EncodePng(bitmap);
    }

    /// <summary>Writes a PNG file.</summary>
    public void SavePng(string path) => File.WriteAllBytes(path, ToPng());

    internal static byte[] EncodePng(SKBitmap bitmap)
    {
        using var image = SKImage.FromBitmap(bitmap);
        using var data = image.Encode(SKEncodedImageFormat.Png, 100)
                         ?? throw new InvalidOperationException("SkiaSharp could not encode the image as PNG.");
        return data.ToArray();
    }

    static string Describe(SKCodecResult result) => result switch
    {
        SKCodecResult.Unimplemented => "format not supported",
        SKCodecResult.IncompleteInput => "incomplete data",
        SKCodecResult.ErrorInInput => "invalid data",
        SKCodecResult.InvalidInput => "invalid data",
        _ => result.ToString(),
    };
}
