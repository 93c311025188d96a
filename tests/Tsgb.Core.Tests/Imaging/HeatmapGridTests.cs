using TsgbKit.Errors;
using TsgbKit.Imaging;

namespace TsgbKit.Tests.Imaging;

public class HeatmapGridTests
{
    static bool HasInk(RgbImage image, int left, int top, int width, int height)
    {
        for (int y = top; y < top + height; y++)
            for (int x = left; x < left + width; x++)
                if (image[x, y].R < 128) return true;
        return false;
    }

    [Fact]
    public void SizeIsTilesPlusPaddingPlusTitleBands()
    {
        var grid = new HeatmapGrid(rows: 2, columns: 3, tileWidth: 64, tileHeight: 48);
        for (int r = 0; r < 2; r++)
            for (int c = 0; c < 3; c++)
                grid.Set(r, c, RgbImage.Solid(64, 48, 200, 0, 0), $"Grad-CAM {r},{c}");

        var decoded = RgbImage.Decode(grid.ToPng());

        int line = (int)Math.Ceiling(14 * 1.3); // default FontSize 14
        Assert.Equal(line, grid.TitleHeight);
        Assert.Equal(6 + 3 * (64 + 6), decoded.Width);
        Assert.Equal(6 + 2 * (line + 48 + 6), decoded.Height);
        Assert.Equal((grid.Width, grid.Height), (decoded.Width, decoded.Height));
    }

    [Fact]
    public void HeadersAndMultiLineTitlesAddTheirBands()
    {
        var grid = new HeatmapGrid(2, 2, 50, 50) { Padding = 4 };
        grid.Set(0, 0, RgbImage.Solid(50, 50, 0, 0, 255), "TSGB\ntabby 0.93")
            .RowHeader(0, "cat.png").RowHeader(1, "dog.png")
            .ColumnHeader(0, "TSGB").ColumnHeader(1, "Grad-CAM");

        var decoded = RgbImage.Decode(grid.ToPng());

        int line = grid.LineHeight;
        Assert.Equal(2 * line, grid.TitleHeight);
        Assert.Equal(line + 4, grid.ColumnHeaderHeight);
        Assert.Equal(120 + 4, grid.RowHeaderWidth);
        Assert.Equal(4 + 124 + 2 * (50 + 4), decoded.Width);
        Assert.Equal(4 + (line + 4) + 2 * (2 * line + 50 + 4), decoded.Height);
    }

    [Fact]
    public void NoTitlesMeansNoTitleBand()
    {
        var grid = new HeatmapGrid(1, 2, 32, 32).Set(0, 0, RgbImage.Solid(8, 8, 0, 0, 0));
        Assert.Equal(0, grid.TitleHeight);
        var decoded = RgbImage.Decode(grid.ToPng());
        Assert.Equal((6 + 2 * 38, 6 + 38), (decoded.Width, decoded.Height));
    }

    [Fact]
    public void TilesAreScaledIntoTheirCellsAndTitlesAreDrawnAboveThem()
    {
        var grid = new HeatmapGrid(1, 2, 40, 40);
        grid.Set(0, 0, RgbImage.Solid(80, 80, 255, 0, 0), "a very long title that cannot possibly fit in forty pixels");
        grid.Set(0, 1, RgbImage.Solid(20, 10, 0, 255, 0)); // wide tile: letterboxed
        var image = grid.Render();
        int top = 6 + grid.TitleHeight;

        Assert.Equal((255, 0, 0), ((int, int, int))image[6 + 20, top + 20]);
        Assert.Equal((0, 255, 0), ((int, int, int))image[6 + 46 + 20, top + 20]);
        Assert.Equal((255, 255, 255), ((int, int, int))image[6 + 46 + 20, top + 2]); // above the letterboxed tile
        Assert.False(HasInk(image, 6 + 46, 6, 40, grid.TitleHeight)); // no title over the second tile
        if (Fonts.HasGlyphs(Fonts.Regular))
            Assert.True(HasInk(image, 6, 6, 40, grid.TitleHeight), "the first title should leave dark pixels");
    }

    [Fact]
    public void SkiasDefaultTypefaceWhichMayHaveNoGlyphsStillRendersTheGrid()
    {
        using var empty = SkiaSharp.SKTypeface.CreateDefault();
        var grid = new HeatmapGrid(1, 1, 20, 20) { Typeface = empty }
            .Set(0, 0, RgbImage.Solid(20, 20, 0, 0, 255), "title")
            .RowHeader(0, "row").ColumnHeader(0, "column");
        var decoded = RgbImage.Decode(grid.ToPng());
        Assert.Equal((grid.Width, grid.Height), (decoded.Width, decoded.Height));
    }

    [Fact]
    public void SetOutsideTheGridIsRefused()
    {
        var grid = new HeatmapGrid(1, 1);
        Assert.Throws<TsgbInputException>(() => grid.Set(1, 0, RgbImage.Solid(1, 1, 0, 0, 0)));
        Assert.Throws<TsgbInputException>(() => grid.ColumnHeader(2, "x"));
    }
}
