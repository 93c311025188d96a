using SkiaSharp;
using TsgbKit.Tests.Weights;
using TsgbKit.Imaging;
using static TorchSharp.torch;

namespace TsgbKit.Tests.Imaging;

public class ImageTensorTests
{
    internal static void WriteSolid(string path, int width, int height, SKColor color, SKEncodedImageFormat format = SKEncodedImageFormat.Png)
    {
        using var bitmap = new SKBitmap(width, height);
        bitmap.Erase(color);
        using var image = SKImage.FromBitmap(bitmap);
        using var data = image.Encode(format, 95);
        File.WriteAllBytes(path, data.ToArray());
    }

    static float Normalized(byte value, int channel) =>
        (value / 255f - Preprocessing.ImageNetMean[channel]) / Preprocessing.ImageNetStd[channel];

    [Fact]
    public void SolidPngBecomesACroppedNormalizedTensor()
    {
        using var scope = NewDisposeScope();
        using var folder = new TempFolder();
        var path = folder.File("solid.png");
        WriteSolid(path, 300, 200, new SKColor(200, 100, 50));

        var t = ImageTensor.FromFile(path);

        Assert.Equal(new long[] { 1, 3, 224, 224 }, t.shape);
        Assert.Equal(ScalarType.Float32, t.dtype);
        byte[] rgb = [200, 100, 50];
        for (int c = 0; c < 3; c++)
        {
            var channel = t[0, c];
            // (200/255 - 0.485) / 0.229 = 1.3068..., (100/255 - 0.456) / 0.224 = -0.2851..., (50/255 - 0.406) / 0.225 = -0.9329...
            Assert.Equal(Normalized(rgb[c], c), channel.min().item<float>(), 4);
            Assert.Equal(Normalized(rgb[c], c), channel.max().item<float>(), 4);
        }
        Assert.Equal(1.3068f, t[0, 0, 0, 0].item<float>(), 3);
    }

    [Fact]
    public void ShorterSideResizeAndCenterCropFollowTorchvision()
    {
        var p = Preprocessing.ImageNet;
        // 320×240: shorter side 240 → 256, longer int(256 × 320 / 240) = 341; crop origin round(58.5) = 58 (half to even), 16
        Assert.Equal((224, 224), p.OutputSize(320, 240));
        Assert.Equal((58, 16), Preprocessing.CropOrigin(341, 256, 224));
        Assert.Equal((17, 0), Preprocessing.CropOrigin(258, 224, 224)); // round(17.0)
        Assert.Equal((0, 2), Preprocessing.CropOrigin(225, 229, 224));  // round(0.5) = 0, round(2.5) = 2
    }

    [Fact]
    public void CenterCropTakesTheMiddleOfTheImage()
    {
        // a 10×8 image whose pixel (x, y) has red = x, green = y
        var pixels = new byte[10 * 8 * 3];
        for (int y = 0; y < 8; y++)
            for (int x = 0; x < 10; x++) { pixels[(y * 10 + x) * 3] = (byte)x; pixels[(y * 10 + x) * 3 + 1] = (byte)y; }
        var image = new RgbImage(10, 8, pixels);

        var cropped = (Preprocessing.ImageNet with { ResizeShorterSide = null, CenterCrop = 4 }).Apply(image);

        Assert.Equal(4, cropped.Width);
        Assert.Equal(4, cropped.Height);
        Assert.Equal((byte)3, cropped[0, 0].R); // left = round(3.0)
        Assert.Equal((byte)2, cropped[0, 0].G); // top = round(2.0)
        Assert.Equal((byte)6, cropped[3, 3].R);
        Assert.Equal((byte)5, cropped[3, 3].G);
    }

    [Fact]
    public void CropLargerThanTheImageIsPaddedWithBlack()
    {
        var image = RgbImage.Solid(2, 2, 255, 255, 255);
        var cropped = image.Crop(-1, -1, 4, 4);
        Assert.Equal((0, 0, 0), ((int, int, int))cropped[0, 0]);
        Assert.Equal((255, 255, 255), ((int, int, int))cropped[1, 1]);
        Assert.Equal((0, 0, 0), ((int, int, int))cropped[3, 3]);
    }

    [Fact]
    public void DirectResizeGivesTheRequestedSize()
    {
        using var scope = NewDisposeScope();
        var t = ImageTensor.FromImage(RgbImage.Solid(50, 40, 0, 0, 0), Preprocessing.Resize(64, 32));
        Assert.Equal(new long[] { 1, 3, 32, 64 }, t.shape);
    }

    [Fact]
    public void CustomMeanAndStdAreApplied()
    {
        using var scope = NewDisposeScope();
        var p = Preprocessing.Resize(4, 4) with { Mean = [0.5f, 0.5f, 0.5f], Std = [0.5f, 0.5f, 0.5f] };
        var t = ImageTensor.FromImage(RgbImage.Solid(4, 4, 255, 0, 255), p);
        Assert.Equal(new[] { 1f, -1f, 1f }, new[] { t[0, 0, 0, 0].item<float>(), t[0, 1, 0, 0].item<float>(), t[0, 2, 0, 0].item<float>() });
    }

    [Fact]
    public void BitmapRgbBytesAndFileGiveTheSameTensor()
    {
        using var scope = NewDisposeScope();
        using var folder = new TempFolder();
        var path = folder.File("gradient.png");
        using var bitmap = new SKBitmap(40, 30);
        for (int y = 0; y < 30; y++)
            for (int x = 0; x < 40; x++) bitmap.SetPixel(x, y, new SKColor((byte)(x * 6), (byte)(y * 8), 77));
        using (var image = SKImage.FromBitmap(bitmap))
        using (var data = image.Encode(SKEncodedImageFormat.Png, 100))
            File.WriteAllBytes(path, data.ToArray());
        var p = Preprocessing.ResizeAndCrop(32, 28);

        var fromFile = ImageTensor.FromFile(path, p);
        var fromBitmap = ImageTensor.FromBitmap(bitmap, p);
        var fromRgb = ImageTensor.FromRgb(RgbImage.FromBitmap(bitmap).Pixels, 40, 30, p);

        Assert.Equal(new long[] { 1, 3, 28, 28 }, fromFile.shape);
        Assert.True(fromFile.allclose(fromBitmap, rtol: 0, atol: 0));
        Assert.True(fromFile.allclose(fromRgb, rtol: 0, atol: 0));
    }

    [Fact]
    public void BitmapsOfOtherColourTypesAreConvertedAndAlphaIsDropped()
    {
        using var premul = new SKBitmap(new SKImageInfo(2, 1, SKColorType.Bgra8888, SKAlphaType.Premul));
        premul.SetPixel(0, 0, new SKColor(200, 100, 50, 128));
        premul.SetPixel(1, 0, new SKColor(1, 2, 3));
        var image = RgbImage.FromBitmap(premul);
        var (r, g, b) = image[0, 0];
        Assert.InRange(r, 198, 202);
        Assert.InRange(g, 98, 102);
        Assert.InRange(b, 48, 52);
        Assert.Equal((1, 2, 3), ((int, int, int))image[1, 0]);

        using var gray = new SKBitmap(new SKImageInfo(1, 1, SKColorType.Gray8, SKAlphaType.Opaque));
        gray.Erase(new SKColor(90, 90, 90));
        Assert.Equal((90, 90, 90), ((int, int, int))RgbImage.FromBitmap(gray)[0, 0]);
    }

    [Fact]
    public void ToRgbInvertsTheNormalization()
    {
        using var scope = NewDisposeScope();
        var pixels = new byte[6 * 5 * 3];
        new Random(3).NextBytes(pixels);
        var image = new RgbImage(6, 5, pixels);

        var back = ImageTensor.ToRgb(ImageTensor.Normalize(image));

        Assert.Equal(6, back.Width);
        Assert.Equal(5, back.Height);
        Assert.Equal(pixels, back.Pixels);
        Assert.Equal(pixels, ImageTensor.ToRgb(ImageTensor.Normalize(image)[0]).Pixels); // 3×H×W too
    }

    [Fact]
    public void JpegLoadsToo()
    {
        using var scope = NewDisposeScope();
        using var folder = new TempFolder();
        var path = folder.File("photo.jpg");
        WriteSolid(path, 256, 256, new SKColor(10, 200, 30), SKEncodedImageFormat.Jpeg);

        var image = RgbImage.Load(path);

        Assert.Equal(256, image.Width);
        var (r, g, b) = image[128, 128];
        Assert.InRange(r, 0, 25);
        Assert.InRange(g, 185, 215);
        Assert.InRange(b, 15, 45);
    }

    [Fact]
    public void MissingCorruptTruncatedAndUnsupportedFilesAreOneClearError()
    {
        using var folder = new TempFolder();
        var missing = folder.File("missing.png");
        var error = Assert.Throws<ImageLoadException>(() => ImageTensor.FromFile(missing));
        Assert.Contains(missing, error.Message);
        Assert.Contains("not found", error.Message);

        var garbage = folder.File("garbage.png");
        var bytes = new byte[500];
        new Random(1).NextBytes(bytes);
        File.WriteAllBytes(garbage, bytes);
        Assert.Contains(garbage, Assert.Throws<ImageLoadException>(() => RgbImage.Load(garbage)).Message);

        var good = folder.File("good.png");
        var noisy = new byte[64 * 64 * 3];
        new Random(2).NextBytes(noisy);
        File.WriteAllBytes(good, new RgbImage(64, 64, noisy).ToPng());
        var truncated = folder.File("truncated.png");
        File.WriteAllBytes(truncated, File.ReadAllBytes(good)[..^2000]);
        error = Assert.Throws<ImageLoadException>(() => RgbImage.Load(truncated));
        Assert.Contains(truncated, error.Message);

        var text = folder.File("notes.txt");
        File.WriteAllText(text, "this is not an image");
        error = Assert.Throws<ImageLoadException>(() => RgbImage.Load(text));
        Assert.Contains(text, error.Message);
        Assert.Contains("not a supported image", error.Message);

        var empty = folder.File("empty.jpg");
        File.WriteAllBytes(empty, []);
        Assert.Contains(empty, Assert.Throws<ImageLoadException>(() => RgbImage.Load(empty)).Message);
    }
}
