using System.Diagnostics;
using System.Net;
using System.Text;
using TsgbKit.Jupyter;
using TsgbKit.Scripting.Formatting;

namespace TsgbKit.Scripting.Magics;

/// <summary>#!time, #!lsmagic, #!who, #!whos.</summary>
internal static class BuiltInMagics
{
    public static void RegisterAll(CSharpInterpreter interpreter)
    {
        interpreter.Magics.Register(new MagicCommand("time", "Runs the rest of the cell and prints its wall time.", async ctx =>
        {
            var sw = Stopwatch.StartNew();
            var outcome = await ctx.RunBodyAsync();
            sw.Stop();
            ctx.Output.Stream("stdout", $"Wall time: {sw.Elapsed.TotalMilliseconds:0} ms\n");
            return null; // the body's outcome (result or error) is the cell's
        }));

        interpreter.Magics.Register(new MagicCommand("lsmagic", "Lists the magic commands.", ctx =>
        {
            var all = interpreter.Magics.All;
            var width = all.Max(m => m.Name.Length) + 2;
            var text = new StringBuilder("Magic commands (a line '#!name arguments' at the top of a cell):\n");
            foreach (var m in all) text.Append("  #!").Append(m.Name.PadRight(width)).Append(m.Help).Append('\n');
            var html = new StringBuilder("<table><thead><tr><th>Magic</th><th>Help</th></tr></thead><tbody>");
            foreach (var m in all)
                html.Append("<tr><td><code>#!").Append(WebUtility.HtmlEncode(m.Name)).Append("</code></td><td>")
                    .Append(WebUtility.HtmlEncode(m.Help)).Append("</td></tr>");
            html.Append("</tbody></table>");
            return new MimeBundle { ["text/plain"] = text.ToString().TrimEnd(), ["text/html"] = html.ToString() };
        }));

        interpreter.Magics.Register(new MagicCommand("who", "Lists the names of the variables.", ctx =>
        {
            var names = ctx.Variables.Names;
            return new MimeBundle { ["text/plain"] = names.Count == 0 ? "No variables." : string.Join("  ", names) };
        }));

        interpreter.Magics.Register(new MagicCommand("whos", "Lists the variables with their types and values.", ctx =>
        {
            var vars = interpreter.CurrentVariables();
            if (vars.Count == 0) return new MimeBundle { ["text/plain"] = "No variables." };
            var rows = vars.Select(v => (v.Name, Type: FriendlyTypeName(v.Type), Value: Preview(v.Value))).ToList();
            var w1 = Math.Max(8, rows.Max(r => r.Name.Length)) + 2;
            var w2 = Math.Max(4, rows.Max(r => r.Type.Length)) + 2;
            var text = new StringBuilder();
            text.Append("Variable".PadRight(w1)).Append("Type".PadRight(w2)).Append("Value\n");
            text.Append(new string('-', w1 + w2 + 5)).Append('\n');
            foreach (var r in rows) text.Append(r.Name.PadRight(w1)).Append(r.Type.PadRight(w2)).Append(r.Value).Append('\n');
            var html = new StringBuilder("<table><thead><tr><th>Variable</th><th>Type</th><th>Value</th></tr></thead><tbody>");
            foreach (var r in rows)
                html.Append("<tr><td>").Append(WebUtility.HtmlEncode(r.Name)).Append("</td><td>")
                    .Append(WebUtility.HtmlEncode(r.Type)).Append("</td><td>").Append(WebUtility.HtmlEncode(r.Value)).Append("</td></tr>");
            html.Append("</tbody></table>");
            return new MimeBundle { ["text/plain"] = text.ToString().TrimEnd(), ["text/html"] = html.ToString() };
        }));
    }

    internal static string FriendlyTypeName(Type t)
    {
        if (t.IsArray) return FriendlyTypeName(t.GetElementType()!) + "[" + new string(',', t.GetArrayRank() - 1) + "]";
        if (Nullable.GetUnderlyingType(t) is { } u) return FriendlyTypeName(u) + "?";
        var name = t.Name;
        var tick = name.IndexOf('`');
        if (tick >= 0) name = name[..tick];
        if (!t.IsGenericType) return name switch
        {
            "Int32" => "int", "Int64" => "long", "String" => "string", "Boolean" => "bool", "Double" => "double",
            "Single" => "float", "Object" => "object", "Char" => "char", "Byte" => "byte", "Decimal" => "decimal",
            _ => name,
        };
        return name + "<" + string.Join(", ", t.GetGenericArguments().Select(FriendlyTypeName)) + ">";
    }

    private static string Preview(object? value)
    {
        string text;
        try { text = MimeFormatter.PlainText(value); } catch (Exception e) { text = $"<{e.GetType().Name}>"; }
        text = string.Join(" ", text.Split((char[])['\n', '\r'], StringSplitOptions.RemoveEmptyEntries).Select(l => l.Trim()));
        return text.Length > 60 ? text[..57] + "..." : text;
    }
}
