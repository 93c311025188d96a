using SkiaSharp;
using TsgbKit.Errors;

namespace TsgbKit.Imaging;

/// <summary>
/// A grid of images (typically heatmap overlays) as one PNG: <see cref="Rows"/> × <see cref="Columns"/> tiles of
/// <see cref="TileWidth"/>×<see cref="TileHeight"/>, a title above each tile ("Grad-CAM\ntabby 0.93": lines split at '\n'),
/// optional column headers above and row headers to the left.
/// Size: <see cref="Width"/> = Padding + RowHeaderWidth + Columns × (TileWidth + Padding);
/// <see cref="Height"/> = Padding + ColumnHeaderHeight + Rows × (TitleHeight + TileHeight + Padding),
/// where the header and title bands are 0 when there is no such text.
/// </summary>
public sealed class HeatmapGrid
{
    readonly RgbImage?[,] _tiles;
    readonly string?[,] _titles;
    readonly string?[] _rowHeaders;
    readonly string?[] _columnHeaders;

    public HeatmapGrid(int rows, int columns, int tileWidth = 224, int tileHeight = 224)
    {
        if (rows <= 0 || columns <= 0) throw new TsgbInputException($"A grid needs at least one row and column, not {rows}×{columns}.");
        if (tileWidth <= 0 || tileHeight <= 0) throw new TsgbInputException($"Tiles need a positive size, not {tileWidth}×{tileHeight}.");
        Rows = rows;
        Columns = columns;
        TileWidth = tileWidth;
        TileHeight = tileHeight;
        _tiles = new RgbImage?[rows, columns];
        _titles = new string?[rows, columns];
        _rowHeaders = new string?[rows];
        _columnHeaders = new string?[columns];
    }

    public int Rows { get; }
    public int Columns { get; }
    public int TileWidth { get; }
    public int TileHeight { get; }

    /// <summary>Space between and around tiles, in pixels.</summary>
    public int Padding { get; set; } = 6;

    /// <summary>Title text size in pixels; headers use the same size in bold. Titles too wide for a tile shrink, then are cut with "…".</summary>
    public float FontSize { get; set; } = 14;

    /// <summary>Width of the row-header column when any row header is set.</summary>
    public int RowHeaderMinWidth { get; set; } = 120;

    /// <summary>The typeface of titles and headers; null: DejaVu Sans or another installed sans-serif, found automatically.</summary>
    public SKTypeface? Typeface { get; set; }

    public SKColor Background { get; set; } = SKColors.White;
    public SKColor TextColor { get; set; } = SKColors.Black;

    /// <summary>Height of one text line.</summary>
    public int LineHeight => (int)Math.Ceiling(FontSize * 1.3);

    /// <summary>Height of the title band above each tile: the most lines of any title × <see cref="LineHeight"/>, 0 without titles.</summary>
    public int TitleHeight => MaxLines(_titles.Cast<string?>()) * LineHeight;

    /// <summary>Height of the column-header band: its lines × <see cref="LineHeight"/> + <see cref="Padding"/>, 0 without column headers.</summary>
    public int ColumnHeaderHeight
    {
        get
        {
            int lines = MaxLines(_columnHeaders);
            return lines == 0 ? 0 : lines * LineHeight + Padding;
        }
    }

    /// <summary>Width of the row-header column: <see cref="RowHeaderMinWidth"/> + <see cref="Padding"/>, 0 without row headers.</summary>
    public int RowHeaderWidth => _rowHeaders.Any(h => !string.IsNullOrEmpty(h)) ? RowHeaderMinWidth + Padding : 0;

    public int Width => Padding + RowHeaderWidth + Columns * (TileWidth + Padding);
    public int Height => Padding + ColumnHeaderHeight + Rows * (TitleHeight + TileHeight + Padding);

    /// <summary>Places <paramref name="image"/> at (<paramref name="row"/>, <paramref name="column"/>), scaled to fit the tile (aspect kept, centred).</summary>
    public HeatmapGrid Set(int row, int column, RgbImage image, string? title = null)
    {
        Check(row, column);
        ArgumentNullException.ThrowIfNull(image);
        _tiles[row, column] = image;
        _titles[row, column] = title;
        return this;
    }

    /// <summary>Sets the title above a tile (also for an empty cell).</summary>
    public HeatmapGrid Title(int row, int column, string? title)
    {
        Check(row, column);
        _titles[row, column] = title;
        return this;
    }

    public HeatmapGrid RowHeader(int row, string? text)
    {
        Check(row, 0);
        _rowHeaders[row] = text;
        return this;
    }

    public HeatmapGrid ColumnHeader(int column, string? text)
    {
        Check(0, column);
        _columnHeaders[column] = text;
        return this;
    }

    /// <summary>Draws the grid.</summary>
    public RgbImage Render()
    {
        using var bitmap = new SKBitmap(new SKImageInfo(Width, Height, SKColorType.Rgba8888, SKAlphaType.Opaque));
        using (var canvas = new SKCanvas(bitmap))
        {
            canvas.Clear(Background);
            using var text = new SKPaint { IsAntialias = true, Color = TextColor, Typeface = Typeface ?? Fonts.Regular, TextSize = FontSize };
            using var header = new SKPaint { IsAntialias = true, Color = TextColor, Typeface = Typeface ?? Fonts.Bold, TextSize = FontSize };
            using var image = new SKPaint { FilterQuality = SKFilterQuality.High, IsAntialias = true };
            int titleHeight = TitleHeight, columnHeader = ColumnHeaderHeight, rowHeader = RowHeaderWidth, line = LineHeight;

            for (int c = 0; c < Columns; c++)
                if (!string.IsNullOrEmpty(_columnHeaders[c]))
                {
                    int spare = columnHeader - Padding - LinesOf(_columnHeaders[c]).Length * line;
                    DrawLines(canvas, header, _columnHeaders[c]!, CellLeft(c), Padding + spare, TileWidth, line, centre: true);
                }

            for (int r = 0; r < Rows; r++)
            {
                int top = Padding + columnHeader + r * (titleHeight + TileHeight + Padding);
                if (!string.IsNullOrEmpty(_rowHeaders[r]))
                {
                    int lines = LinesOf(_rowHeaders[r]).Length;
                    int y = top + titleHeight + (TileHeight - lines * line) / 2;
                    DrawLines(canvas, header, _rowHeaders[r]!, Padding, y, RowHeaderMinWidth, line, centre: false);
                }
                for (int c = 0; c < Columns; c++)
                {
                    int left = CellLeft(c);
                    if (!string.IsNullOrEmpty(_titles[r, c]))
                    {
                        // titles sit at the bottom of their band, next to their tile
                        int spare = titleHeight - LinesOf(_titles[r, c]).Length * line;
                        DrawLines(canvas, text, _titles[r, c]!, left, top + spare, TileWidth, line, centre: true);
                    }
                    if (_tiles[r, c] is { } tile)
                    {
                        double scale = Math.Min((double)TileWidth / tile.Width, (double)TileHeight / tile.Height);
                        float w = (float)(tile.Width * scale), h = (float)(tile.Height * scale);
                        float x = left + (TileWidth - w) / 2, y = top + titleHeight + (TileHeight - h) / 2;
                        using var source = tile.ToBitmap();
                        canvas.DrawBitmap(source, new SKRect(x, y, x + w, y + h), image);
                    }
                }
            }
        }
        return RgbImage.FromBitmap(bitmap);
    }

    /// <summary>Draws the grid and encodes it as PNG.</summary>
    public byte[] ToPng() => Render().ToPng();

    int CellLeft(int column) => Padding + RowHeaderWidth + column * (TileWidth + Padding);

    void DrawLines(SKCanvas canvas, SKPaint paint, string text, float left, float top, float width, int lineHeight, bool centre)
    {
        var lines = LinesOf(text);
        for (int i = 0; i < lines.Length; i++)
        {
            var (fitted, size) = Fit(paint, lines[i], width);
            using var sized = paint.Clone();
            sized.TextSize = size;
            float measured = sized.MeasureText(fitted);
            float x = centre ? left + (width - measured) / 2 : left;
            // baseline: centre the glyphs of the nominal size within the line
            var metrics = sized.FontMetrics;
            float baseline = top + i * lineHeight + (lineHeight - (metrics.Descent - metrics.Ascent)) / 2 - metrics.Ascent;
            canvas.DrawText(fitted, x, baseline, sized);
        }
    }

    /// <summary>Shrinks the text size down to 8 px to fit <paramref name="width"/>, then cuts the text with an ellipsis.</summary>
    static (string Text, float Size) Fit(SKPaint paint, string text, float width)
    {
        using var probe = paint.Clone();
        float size = paint.TextSize;
        while (size > 8 && probe.MeasureText(text) > width)
        {
            size = Math.Max(8, size - 1);
            probe.TextSize = size;
        }
        if (probe.MeasureText(text) <= width) return (text, size);
        const string ellipsis = "…";
        for (int n = text.Length - 1; n > 0; n--)
        {
            var cut = text[..n].TrimEnd() + ellipsis;
            if (probe.MeasureText(cut) <= width) return (cut, size);
        }
        return (ellipsis, size);
    }

    static string[] LinesOf(string? text) =>
        string.IsNullOrEmpty(text) ? [] : text.Replace("\r\n", "\n").Split('\n');

    static int MaxLines(IEnumerable<string?> texts) => texts.Select(t => LinesOf(t).Length).DefaultIfEmpty(0).Max();

    void Check(int row, int column)
    {
        if (row < 0 || row >= Rows) throw new TsgbInputException($"Row {row}: the grid has rows 0 to {Rows - 1}.");
        if (column < 0 || column >= Columns) throw new TsgbInputException($"Column {column}: the grid has columns 0 to {Columns - 1}.");
    }
}
