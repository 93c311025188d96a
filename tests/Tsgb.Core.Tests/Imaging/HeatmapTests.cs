using TsgbKit.Errors;
using TorchSharp;
using TsgbKit.Imaging;
using static TorchSharp.torch;

namespace TsgbKit.Tests.Imaging;

public class HeatmapTests
{
    static void AssertColor((int R, int G, int B) expected, (byte R, byte G, byte B) actual, int tolerance = 0, string? at = null)
    {
        Assert.True(Math.Abs(expected.R - actual.R) <= tolerance && Math.Abs(expected.G - actual.G) <= tolerance && Math.Abs(expected.B - actual.B) <= tolerance,
            $"{at}: expected {expected}, got {actual}");
    }

    [Fact]
    public void JetRunsFromDarkBlueToDarkRed()
    {
        AssertColor((0, 0, 128), Colormap.Jet.Map(0));
        AssertColor((128, 0, 0), Colormap.Jet.Map(1));
        AssertColor((0, 0, 128), Colormap.Jet.Map(-3)); // clamped
        AssertColor((0, 0, 128), Colormap.Jet.Map(double.NaN));
    }

    [Fact]
    public void ViridisRunsFromPurpleToYellow()
    {
        AssertColor((0x44, 0x01, 0x54), Colormap.Viridis.Map(0));
        AssertColor((0xFD, 0xE7, 0x25), Colormap.Viridis.Map(1));
    }

    [Theory]
    // reference colours from matplotlib 3.6.3 (cm.get_cmap(name)(t), × 255, rounded)
    [InlineData("jet", 0.1, 0, 0, 241)]
    [InlineData("jet", 0.25, 0, 128, 255)]
    [InlineData("jet", 0.33, 0, 208, 255)]
    [InlineData("jet", 0.5, 125, 255, 122)]
    [InlineData("jet", 0.66, 254, 237, 0)]
    [InlineData("jet", 0.75, 255, 148, 0)]
    [InlineData("jet", 0.9, 241, 8, 0)]
    [InlineData("viridis", 0.1, 72, 36, 117)]
    [InlineData("viridis", 0.25, 59, 82, 139)]
    [InlineData("viridis", 0.33, 49, 103, 142)]
    [InlineData("viridis", 0.5, 33, 145, 140)]
    [InlineData("viridis", 0.66, 50, 182, 122)]
    [InlineData("viridis", 0.75, 94, 201, 98)]
    [InlineData("viridis", 0.9, 189, 223, 38)]
    public void InteriorColoursMatchMatplotlib(string name, double t, int r, int g, int b)
    {
        AssertColor((r, g, b), Colormap.FromName(name).Map(t), tolerance: 2, at: $"{name}({t})");
    }

    [Fact]
    public void NormalizationClampsOrStretches()
    {
        float[,] map = { { -1, 0 }, { 2, 4 } };
        Assert.Equal(new float[,] { { 0, 0 }, { 0.5f, 1 } }, Heatmap.Normalize(map, HeatmapNormalization.ClampMax));
        Assert.Equal(new float[,] { { 0, 0.2f }, { 0.6f, 1 } }, Heatmap.Normalize(map, HeatmapNormalization.MinMax));
        Assert.Equal(new float[,] { { 0, 0 }, { 1, 1 } }, Heatmap.Normalize(map, HeatmapNormalization.None));
        Assert.Equal(new float[2, 2], Heatmap.Normalize(new float[,] { { -1, -2 }, { -3, float.NaN } }, HeatmapNormalization.ClampMax));
        Assert.Equal(new float[2, 2], Heatmap.Normalize(new float[,] { { 5, 5 }, { 5, 5 } }, HeatmapNormalization.MinMax));
    }

    [Fact]
    public void BilinearResizeMatchesTorchInterpolate()
    {
        using var scope = NewDisposeScope();
        var source = rand(7, 5, generator: new torch.Generator(11));
        var expected = nn.functional.interpolate(source.reshape(1, 1, 7, 5), size: [13, 11], mode: InterpolationMode.Bilinear, align_corners: false)
            .reshape(13, 11);

        var actual = Heatmap.Resize(Heatmap.ToArray(source), 11, 13);

        Assert.Equal(13, actual.GetLength(0));
        Assert.Equal(11, actual.GetLength(1));
        var e = Heatmap.ToArray(expected);
        for (int y = 0; y < 13; y++)
            for (int x = 0; x < 11; x++) Assert.Equal(e[y, x], actual[y, x], 4);
    }

    [Fact]
    public void RenderGivesRgbaInMapOrder()
    {
        float[,] map = { { 0, 1 } };
        var rgba = Heatmap.Render(map, Colormap.Viridis);
        Assert.Equal(new byte[] { 0x44, 0x01, 0x54, 255, 0xFD, 0xE7, 0x25, 255 }, rgba);
    }

    [Fact]
    public void ToArrayAcceptsLeadingSingletonDimensionsOnly()
    {
        using var scope = NewDisposeScope();
        Assert.Equal(new float[3, 4].Length, Heatmap.ToArray(zeros(1, 1, 3, 4)).Length);
        Assert.Throws<TsgbInputException>(() => Heatmap.ToArray(zeros(2, 3, 4)));
    }

    [Fact]
    public void OverlayBlendsTheResizedMapOverTheImage()
    {
        var image = RgbImage.Solid(40, 30, 100, 100, 100);
        var map = new float[7, 7];
        map[3, 3] = 10; // a peak in the middle, zero elsewhere

        var png = HeatmapImage.OverlayPng(image, map, Colormap.Jet, alpha: 0.5);
        var decoded = RgbImage.Decode(png);

        Assert.Equal(40, decoded.Width);
        Assert.Equal(30, decoded.Height);
        AssertColor((50, 50, 114), decoded[0, 0], tolerance: 1, at: "corner: half grey, half jet(0)"); // (100 + 0)/2, (100 + 0)/2, (100 + 128)/2
        var centre = decoded[20, 15];
        Assert.True(centre.R > 150 && centre.B < 80, $"centre should be reddish, got {centre}");

        Assert.Equal(image.Pixels, HeatmapImage.Overlay(image, map, alpha: 0).Pixels);
        AssertColor((0, 0, 128), HeatmapImage.Overlay(image, map, Colormap.Jet, alpha: 1)[0, 0]);
    }

    [Fact]
    public void OverlayAcceptsATensorMap()
    {
        using var scope = NewDisposeScope();
        var image = RgbImage.Solid(8, 8, 0, 0, 0);
        var overlay = HeatmapImage.Overlay(image, ones(1, 1, 2, 2), Colormap.Viridis, alpha: 1);
        AssertColor((0xFD, 0xE7, 0x25), overlay[4, 4]);
    }
}
