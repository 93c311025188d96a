using TsgbKit.Metrics;
using TsgbKit.Datasets;
using TsgbKit.Evaluation.Datasets;
using TsgbKit.Synthetic;
using TsgbKit.Tensors;
using static TorchSharp.torch;

namespace TsgbKit.Tests.Datasets;

public class MapPointingTests
{
    public MapPointingTests() => TsgbKit.Native.TorchNative.EnsureLoaded();

    static string Fixture(string name) => Path.Combine(AppContext.BaseDirectory, "fixtures", "pointing", name);

    static Mask Pixel(int width, int height, int x, int y)
    {
        var m = new Mask(width, height);
        m[x, y] = true;
        return m;
    }

    [Fact]
    public void HitIsStrictlyWithinTolerance()
    {
        var region = Pixel(60, 40, 20, 0);
        Assert.False(MapPointing.IsHit(region, (5, 0), 15));   // exactly 15 px: miss (TorchRay: d² < τ²)
        Assert.True(MapPointing.IsHit(region, (6, 0), 15));
        Assert.False(MapPointing.IsHit(region, (29, 12), 15)); // 9² + 12² = 225: miss
        Assert.True(MapPointing.IsHit(region, (28, 12), 15));  // 8² + 12² = 208: hit
    }

    [Fact]
    public void CentreBaselinePointsAtHalfTheSize()
    {
        Assert.Equal((30.0, 20.0), MapPointing.Centre(60, 40));
        Assert.Equal((30.5, 20.5), MapPointing.Centre(61, 41));
    }

    [Fact]
    public void PointIsTheFirstMaximumInRowMajorOrder()
    {
        var maps = zeros(2, 4, 5);
        maps[0, 1, 3] = tensor(2f);
        maps[0, 2, 0] = tensor(2f);
        maps[1, 3, 4] = tensor(1f);
        var points = MapPointing.Points(maps, blur: false);
        Assert.Equal((3.0, 1.0), points[0]);
        Assert.Equal((4.0, 3.0), points[1]);
    }

    [Fact]
    public void EnergyIsTheShareOfPositiveValuesInTheMask()
    {
        var mask = new Mask(2, 2);
        mask[0, 0] = true;
        Assert.Equal(0.25, EnergyPointingGame.Score([1f, 3f, -5f, 0f], mask));
        Assert.Equal(0, EnergyPointingGame.Score([-1f, 0f, 0f, 0f], mask));
    }

    [Fact]
    public void ResizeBlurAndPointMatchPyTorch()
    {
        // tests/python/make_pointing_fixtures.py: F.interpolate (bilinear, align_corners=False) and TorchRay's imsmooth
        // with replicate padding, σ = 0.02 × max side
        using var maps = Npy.Read(Fixture("maps.npy"));
        using var resized = MapPointing.ToImageResolution(maps, 50, 37);
        using var expected = Npy.Read(Fixture("resized.npy"));
        Assert.True(resized.sub(expected).abs().max().item<float>() < 1e-5f);
        using var blurred = MapPointing.Blur(expected, 0.02 * 50);
        using var expectedBlur = Npy.Read(Fixture("blurred.npy"));
        Assert.True(blurred.sub(expectedBlur).abs().max().item<float>() < 1e-5f * expectedBlur.abs().max().item<float>());
        Assert.Equal(Floats(Fixture("points_raw.npy")), Flatten(MapPointing.Points(expected, blur: false)));
        Assert.Equal(Floats(Fixture("points_blurred.npy")), Flatten(MapPointing.Points(expected, blur: true)));
        using var big = MapPointing.ToImageResolution(maps[..1], 500, 375);
        using var bigBlurred = MapPointing.Blur(big, 10);
        using var expectedBig = Npy.Read(Fixture("big_blurred.npy"));
        Assert.True(bigBlurred.sub(expectedBig).abs().max().item<float>() < 1e-5f * expectedBig.abs().max().item<float>());
        Assert.Equal(Floats(Fixture("big_point.npy")), Flatten(MapPointing.Points(big, blur: true)));
    }

    [Fact]
    public void CaffeInputMatchesTorchRaysTransform()
    {
        using var rgb = Npy.Read(Fixture("image_rgb.npy"));
        var values = rgb.data<float>().ToArray();
        var image = new TsgbKit.Imaging.RgbImage(45, 31, values.Select(v => (byte)v).ToArray());
        var input = new BenchmarkInput(24, InputNormalization.Caffe);
        Assert.Equal((34, 24), input.InputSize(45, 31));
        using var x = input.ToTensor(image);
        using var expected = Npy.Read(Fixture("input_caffe.npy"));
        Assert.Equal(expected.shape, x.shape);
        Assert.True(x.sub(expected).abs().max().item<float>() < 1e-3f);
    }

    static float[] Floats(string path)
    {
        using var t = Npy.Read(path);
        return t.to_type(ScalarType.Float32).data<float>().ToArray();
    }

    static float[] Flatten((double X, double Y)[] points) => points.SelectMany(p => new[] { (float)p.X, (float)p.Y }).ToArray();
}
