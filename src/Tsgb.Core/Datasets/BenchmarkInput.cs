using TorchSharp;
using TsgbKit.Errors;
using TsgbKit.Imaging;
using static TorchSharp.torch;

namespace TsgbKit.Datasets;

/// <summary>How pixel values are normalised.</summary>
public enum InputNormalization
{
    /// <summary>(v/255 − mean) / std with ImageNet's mean and std (torchvision models, the scene models).</summary>
    ImageNet,
    /// <summary>v − (123.68, 116.779, 103.939), v in 0…255, RGB order (TorchRay's get_transform for its Caffe-converted VOC/COCO models).</summary>
    Caffe,
}

/// <summary>
/// TorchRay's benchmark preprocessing (<c>torchray.benchmark.models.get_transform</c> for VOC and COCO): the image as
/// floats in [0, 1], the shorter side resized to <see cref="ShorterSide"/> (the longer one to ⌊side · long / short⌋)
/// by bilinear interpolation without antialiasing (<c>F.interpolate(mode='bilinear', align_corners=False)</c>), no
/// crop, then normalised. <see cref="ShorterSide"/> null: the image's own size (the scenes).
/// </summary>
public sealed record BenchmarkInput(int? ShorterSide, InputNormalization Normalization)
{
    public static BenchmarkInput TorchRay { get; } = new(224, InputNormalization.Caffe);

    static readonly float[] CaffeMeanRgb = [123.68f, 116.779f, 103.939f];

    /// <summary>The input size for an image of <paramref name="width"/>×<paramref name="height"/>.</summary>
    public (int Width, int Height) InputSize(int width, int height)
    {
        if (ShorterSide is not int s) return (width, height);
        if (s <= 0) throw new TsgbInputException($"--input-size {s} must be positive");
        return width < height ? (s, (int)((long)s * height / width)) : ((int)((long)s * width / height), s);
    }

    /// <summary>The 1×3×H×W model input.</summary>
    public Tensor ToTensor(RgbImage image)
    {
        using var scope = NewDisposeScope();
        int plane = image.Width * image.Height;
        var data = new float[3 * plane];
        var pixels = image.Pixels;
        for (int c = 0; c < 3; c++)
            for (int i = 0; i < plane; i++) data[c * plane + i] = pixels[3 * i + c] / 255f;
        var x = tensor(data, [1, 3, image.Height, image.Width]);
        var (w, h) = InputSize(image.Width, image.Height);
        if (w != image.Width || h != image.Height)
            x = nn.functional.interpolate(x, [h, w], mode: InterpolationMode.Bilinear, align_corners: false);
        x = Normalization switch
        {
            InputNormalization.Caffe => x.mul(255f).sub(tensor(CaffeMeanRgb).reshape(1, 3, 1, 1)),
            _ => x.sub(tensor(Preprocessing.ImageNetMean.ToArray()).reshape(1, 3, 1, 1)).div(tensor(Preprocessing.ImageNetStd.ToArray()).reshape(1, 3, 1, 1)),
        };
        return x.contiguous().MoveToOuterDisposeScope();
    }

    public static InputNormalization ParseNormalization(string text) => text.ToLowerInvariant() switch
    {
        "imagenet" => InputNormalization.ImageNet,
        "caffe" => InputNormalization.Caffe,
        _ => throw new TsgbInputException($"--normalization '{text}': use imagenet or caffe"),
    };

    public override string ToString() =>
        $"{(ShorterSide is int s ? $"shorter side {s} (bilinear)" : "native size")}, {Normalization.ToString().ToLowerInvariant()} normalization";
}
