using System.Globalization;
using System.Text;
using Microsoft.Data.Analysis;

namespace TsgbKit.Interactive.Commands;

/// <summary>A DataFrame as a Markdown table (the CLI's output, and the README's tables).</summary>
public static class TableText
{
    public static string Markdown(DataFrame frame, string numberFormat = "0.000")
    {
        var text = new StringBuilder();
        text.Append("| ").AppendJoin(" | ", frame.Columns.Select(c => c.Name)).AppendLine(" |");
        text.Append('|').AppendJoin("|", frame.Columns.Select(c => c.DataType == typeof(string) ? "---" : "---:")).AppendLine("|");
        for (long r = 0; r < frame.Rows.Count; r++)
        {
            text.Append("| ").AppendJoin(" | ", frame.Columns.Select(c => Cell(c[r], numberFormat))).AppendLine(" |");
        }
        return text.ToString();
    }

    private static string Cell(object? value, string format) => value switch
    {
        null => "",
        double d when double.IsNaN(d) => "—",
        double d => d.ToString(format, CultureInfo.InvariantCulture),
        float f => f.ToString(format, CultureInfo.InvariantCulture),
        _ => value.ToString() ?? "",
    };
}
