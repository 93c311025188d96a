using System.Text.Json.Nodes;
using Microsoft.Data.Analysis;
using Microsoft.DotNet.Interactive.Formatting;
using TsgbKit.Jupyter;
using TsgbKit.Scripting.Formatting;

namespace TsgbKit.Scripting.Tests;

public sealed class FormattingTests(InterpreterFixture fixture) : IClassFixture<InterpreterFixture>
{
    private readonly CSharpInterpreter _i = fixture.Interpreter;

    [Fact]
    public async Task DataFrame_is_an_html_table_without_scripts()
    {
        var r = await _i.OkAsync("""
            using Microsoft.Data.Analysis;
            var df = new DataFrame(
                new PrimitiveDataFrameColumn<int>("id", Enumerable.Range(0, 500)),
                new StringDataFrameColumn("name", Enumerable.Range(0, 500).Select(k => $"<n{k}>")),
                new PrimitiveDataFrameColumn<double>("score", Enumerable.Range(0, 500).Select(k => k / 2.0)),
                new PrimitiveDataFrameColumn<bool>("ok", Enumerable.Range(0, 500).Select(k => k % 2 == 0)));
            df
            """);
        var html = (string)r.Result!["text/html"];
        Assert.Contains("<table>", html);
        Assert.DoesNotContain("<script", html, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("500 rows × 4 columns", html);
        Assert.Contains("score", html);
        Assert.Contains("Double", html);
        Assert.Contains("&lt;n19&gt;", html);
        Assert.DoesNotContain("&lt;n20&gt;", html); // first 20 rows only
        Assert.Contains("500 rows × 4 columns", r.Plain());
        Assert.False(r.Result.ContainsKey("application/json"));
    }

    [Fact]
    public async Task Formatter_Register_of_dotnet_interactive_is_honoured()
    {
        await _i.OkAsync("""
            public class Temperature { public double C; }
            Formatter.Register<Temperature>((t, w) => w.Write($"<b>{t.C} °C</b>"), "text/html");
            """);
        var r = await _i.OkAsync("new Temperature { C = 21.5 }");
        Assert.Equal("<b>21.5 °C</b>", r.Result!["text/html"]);
        Assert.True(r.Result.ContainsKey("text/plain"));
        Assert.False(r.Result.ContainsKey("application/json"));
    }

    [Fact]
    public async Task Notebook_formatter_for_a_built_in_type_wins()
    {
        using var i = new CSharpInterpreter();
        try
        {
            await i.OkAsync("""
                using Microsoft.Data.Analysis;
                Formatter.Register<DataFrame>((df, w) => w.Write($"<p>custom {df.Rows.Count}</p>"), "text/html");
                """);
            var r = await i.OkAsync("new DataFrame(new PrimitiveDataFrameColumn<int>(\"a\", new[] { 1, 2 }))");
            Assert.Equal("<p>custom 2</p>", r.Result!["text/html"]);
            Assert.Contains("2 rows × 1 column", r.Plain());
        }
        finally { Formatter.ResetToDefault(); }
    }

    [Fact]
    public void Plain_objects_get_text_plain_only()
    {
        var b = MimeFormatter.Format(new { A = 1 });
        Assert.Equal(["text/plain"], b.Keys);
        Assert.Equal(["text/plain"], MimeFormatter.Format(new[] { 1, 2 }).Keys);
        Assert.Equal("<null>", MimeFormatter.Format(null)["text/plain"]);
    }

    [Fact]
    public void Png_image_is_base64_png()
    {
        var bytes = new byte[] { 0x89, 0x50, 0x4E, 0x47, 1, 2, 3 };
        var b = MimeFormatter.Format(new PngImage(bytes, Width: 64));
        Assert.Equal(Convert.ToBase64String(bytes), b["image/png"]);
        Assert.True(b.ContainsKey("text/plain"));
        Assert.Equal(64, ((Dictionary<string, object>)b.Metadata["image/png"])["width"]);
    }

    [Fact]
    public void Host_registered_formatter_adds_a_mime_type()
    {
        MimeFormatter.Register<Uri>("text/html", u => $"<a href=\"{u}\">{u.Host}</a>");
        var b = MimeFormatter.Format(new Uri("https://example.org/x"));
        Assert.Equal("<a href=\"https://example.org/x\">example.org</a>", b["text/html"]);
        Assert.Equal("https://example.org/x", b["text/plain"]);
    }

    [Fact]
    public async Task Plotly_chart_has_plotly_json_and_offline_html()
    {
        var r = await _i.OkAsync("""
            var chart = XPlot.Plotly.Chart.Plot(new XPlot.Plotly.Scatter { x = new[] { 1, 2, 3 }, y = new[] { 4, 5, 6 } });
            chart.WithTitle("T");
            chart
            """);
        var json = Assert.IsAssignableFrom<JsonNode>(r.Result!["application/vnd.plotly.v1+json"]);
        Assert.Equal("scatter", (string?)json["data"]![0]!["type"]);
        Assert.Equal(6, (int)json["data"]![0]!["y"]![2]!);
        var html = (string)r.Result["text/html"];
        Assert.DoesNotContain("src=\"https://cdn.plot.ly", html);
        Assert.Contains("plotly.js v2", html); // the bundled library itself
        Assert.DoesNotContain("<script src", html);
        Assert.Contains("newPlot", html);
        Assert.True(html.Length > 1_000_000, "plotly.js is embedded inline");
        Assert.True(r.Result.ContainsKey("text/plain"));
        Assert.False(r.Result.ContainsKey("application/json"));
        Assert.Equal("T", (string?)json["layout"]!["title"]);

        // Without a layout, XPlot writes "": the bundle still has a layout object.
        var bare = await _i.OkAsync("XPlot.Plotly.Chart.Plot(new XPlot.Plotly.Bar { y = new[] { 1, 2 } })");
        var bareJson = (JsonNode)bare.Result!["application/vnd.plotly.v1+json"];
        Assert.IsType<JsonObject>(bareJson["layout"]);
        Assert.Contains(", {});", (string)bare.Result["text/html"]);
    }

    [Fact]
    public async Task Display_with_mime_type()
    {
        var (o, output) = await _i.RunAsync("display(\"<i>x</i>\", \"text/html\");");
        Assert.Equal(ExecutionStatus.Ok, o.Status);
        var d = output.Displays.Single().Data;
        Assert.Equal("<i>x</i>", d["text/html"]);
        Assert.True(d.ContainsKey("text/plain"));
    }
}
