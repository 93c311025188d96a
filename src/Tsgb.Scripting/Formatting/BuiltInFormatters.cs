using System.Globalization;
using System.Net;
using System.Reflection;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Html;
using Microsoft.Data.Analysis;
using TsgbKit.Jupyter;
using XPlot.Plotly;

namespace TsgbKit.Scripting.Formatting;

/// <summary>A PNG image to show as image/png (e.g. <c>display(new PngImage(bytes))</c>).</summary>
public sealed record PngImage(byte[] Bytes, int? Width = null, int? Height = null)
{
    public override string ToString() => $"<PNG image, {Bytes.Length} bytes>";
}

/// <summary>A piece of HTML to show as text/html.</summary>
public sealed record HtmlText(string Html)
{
    public override string ToString() => Html;
}

internal static partial class BuiltInFormatters
{
    public const int DataFrameRowLimit = 20;

    public static void RegisterAll()
    {
        MimeFormatter.RegisterBundle<PngImage>(FormatPng);
        MimeFormatter.RegisterBundle<HtmlText>(h => new MimeBundle { ["text/html"] = h.Html, ["text/plain"] = h.Html });
        MimeFormatter.RegisterBundle<DataFrame>(FormatDataFrame);
        MimeFormatter.RegisterBundle<PlotlyChart>(FormatPlotly);
    }

    public static string HtmlContentToString(IHtmlContent html)
    {
        using var sw = new StringWriter();
        html.WriteTo(sw, HtmlEncoder.Default);
        return sw.ToString();
    }

    private static MimeBundle FormatPng(PngImage image)
    {
        var bundle = new MimeBundle
        {
            ["image/png"] = Convert.ToBase64String(image.Bytes),
            ["text/plain"] = image.ToString(),
        };
        if (image.Width is not null || image.Height is not null)
        {
            var md = new Dictionary<string, object>();
            if (image.Width is int w) md["width"] = w;
            if (image.Height is int h) md["height"] = h;
            bundle.Metadata["image/png"] = md;
        }
        return bundle;
    }

    private static string Shape(long rows, int columns) =>
        $"{rows} row{(rows == 1 ? "" : "s")} × {columns} column{(columns == 1 ? "" : "s")}";

    private static string Cell(object? value) => value switch
    {
        null => "null",
        float f => f.ToString("G7", CultureInfo.InvariantCulture),
        double d => d.ToString("G10", CultureInfo.InvariantCulture),
        IFormattable fm => fm.ToString(null, CultureInfo.InvariantCulture),
        _ => value.ToString() ?? "",
    };

    internal static MimeBundle FormatDataFrame(DataFrame df)
    {
        var rows = df.Rows.Count;
        var cols = df.Columns.Count;
        var shown = (int)Math.Min(rows, DataFrameRowLimit);
        var html = new StringBuilder();
        html.Append("<div class=\"tsgb-dataframe\">");
        html.Append("<p>").Append(Shape(rows, cols)).Append("</p>");
        html.Append("<table><thead><tr><th></th>");
        foreach (var c in df.Columns)
            html.Append("<th>").Append(WebUtility.HtmlEncode(c.Name))
                .Append("<br/><small>").Append(WebUtility.HtmlEncode(c.DataType.Name)).Append("</small></th>");
        html.Append("</tr></thead><tbody>");
        for (var i = 0; i < shown; i++)
        {
            html.Append("<tr><th>").Append(i).Append("</th>");
            for (var j = 0; j < cols; j++)
                html.Append("<td>").Append(WebUtility.HtmlEncode(Cell(df.Columns[j][i]))).Append("</td>");
            html.Append("</tr>");
        }
        html.Append("</tbody></table>");
        if (rows > shown) html.Append("<p>(first ").Append(shown).Append(" of ").Append(rows).Append(" rows)</p>");
        html.Append("</div>");

        // text/plain: the same, as aligned columns.
        var table = new List<string[]> { df.Columns.Select(c => $"{c.Name} ({c.DataType.Name})").Prepend("").ToArray() };
        for (var i = 0; i < shown; i++)
            table.Add(Enumerable.Range(0, cols).Select(j => Cell(df.Columns[j][i])).Prepend(i.ToString(CultureInfo.InvariantCulture)).ToArray());
        var widths = Enumerable.Range(0, cols + 1).Select(j => table.Max(r => r[j].Length)).ToArray();
        var text = new StringBuilder().AppendLine(Shape(rows, cols));
        foreach (var r in table)
            text.AppendLine(string.Join("  ", r.Select((v, j) => v.PadRight(widths[j]))).TrimEnd());
        if (rows > shown) text.Append("(first ").Append(shown).Append(" of ").Append(rows).AppendLine(" rows)");

        return new MimeBundle { ["text/html"] = html.ToString(), ["text/plain"] = text.ToString().TrimEnd() };
    }

    [GeneratedRegex(@"var\s+data\s*=\s*(?<data>.*?);\s*var\s+layout\s*=\s*(?<layout>.*?);\s*Plotly\.newPlot", RegexOptions.Singleline)]
    private static partial Regex PlotlyJs();

    private static readonly Lazy<string?> s_plotlyJs = new(() =>
    {
        using var s = typeof(BuiltInFormatters).Assembly.GetManifestResourceStream("Tsgb.Scripting.plotly.min.js");
        if (s is null) return null;
        using var r = new StreamReader(s);
        return r.ReadToEnd();
    });

    /// <summary>The plotly.js bundled in this assembly (null when the build could not fetch it).</summary>
    internal static string? PlotlyJs_Source => s_plotlyJs.Value;

    internal static MimeBundle FormatPlotly(PlotlyChart chart)
    {
        var m = PlotlyJs().Match(chart.GetPlottingJS());
        var data = (m.Success ? JsonNode.Parse(m.Groups["data"].Value) : null) as JsonArray ?? new JsonArray();
        // XPlot writes "" for a chart without layout.
        var layout = (m.Success ? JsonNode.Parse(m.Groups["layout"].Value) : null) as JsonObject ?? new JsonObject();
        var plotly = new JsonObject { ["data"] = data, ["layout"] = layout };

        var id = "plotly-" + Guid.NewGuid().ToString("N");
        var html = new StringBuilder();
        html.Append($"<div id=\"{id}\" style=\"width: {chart.Width}px; height: {chart.Height}px;\"></div>\n");
        html.Append("<script type=\"text/javascript\">\n(function () {\nvar define = undefined, module = undefined, exports = undefined;\n");
        html.Append("if (typeof window.Plotly === 'undefined') {\n");
        if (s_plotlyJs.Value is { } js)
            html.Append(js.Replace("</script", "<\\/script", StringComparison.OrdinalIgnoreCase)).Append('\n');
        html.Append("}\n");
        html.Append($"window.Plotly.newPlot('{id}', {data?.ToJsonString() ?? "[]"}, {layout?.ToJsonString() ?? "{}"});\n");
        html.Append("})();\n</script>");

        return new MimeBundle
        {
            ["application/vnd.plotly.v1+json"] = plotly,
            ["text/html"] = html.ToString(),
            ["text/plain"] = $"<PlotlyChart: {(data as JsonArray)?.Count ?? 0} trace(s)>",
        };
    }
}
