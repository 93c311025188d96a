using TsgbKit.Imaging;
using TsgbKit.Errors;

namespace TsgbKit.Explain;

/// <summary>Several explanations as one image: a grid of overlays titled with method, target and score.</summary>
public static class ExplanationGrid
{
    /// <param name="columns">tiles per row (default: all in one row, up to 6)</param>
    public static RgbImage Render(IReadOnlyList<Explanation> explanations, int? columns = null, Colormap? colormap = null, double alpha = 0.5)
    {
        if (explanations.Count == 0) throw new TsgbInputException("no explanations to draw");
        int cols = Math.Max(1, columns ?? Math.Min(explanations.Count, 6));
        var rows = explanations.Chunk(cols).Select(r => (IReadOnlyList<Explanation>)r).ToList();
        return Render(rows, rowHeaders: null, columnHeaders: null, colormap, alpha);
    }

    /// <summary>A table of explanations: one row per entry of <paramref name="rows"/>, headers on both sides.</summary>
    public static RgbImage Render(IReadOnlyList<IReadOnlyList<Explanation>> rows, IReadOnlyList<string>? rowHeaders, IReadOnlyList<string>? columnHeaders, Colormap? colormap = null, double alpha = 0.5)
    {
        int columns = rows.Max(r => r.Count);
        int tile = Math.Max(rows[0][0].Width, 160);
        var grid = new HeatmapGrid(rows.Count, columns, tile, tile);
        for (int r = 0; r < rows.Count; r++)
        {
            if (rowHeaders is not null && r < rowHeaders.Count) grid.RowHeader(r, rowHeaders[r]);
            for (int c = 0; c < rows[r].Count; c++)
            {
                var overlay = rows[r][c].Overlay(colormap, alpha);
                if (overlay.Width != tile || overlay.Height != tile) overlay = overlay.Resize(tile, tile);
                grid.Set(r, c, overlay, rows[r][c].Title);
            }
        }
        if (columnHeaders is not null)
            for (int c = 0; c < Math.Min(columns, columnHeaders.Count); c++) grid.ColumnHeader(c, columnHeaders[c]);
        return grid.Render();
    }
}
