using System.Collections.Concurrent;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Html;
using Microsoft.DotNet.Interactive.Formatting;
using TsgbKit.Jupyter;

namespace TsgbKit.Scripting.Formatting;

/// <summary>
/// Turns values into MIME bundles. Every value gets text/plain; richer types add their MIME types, from
/// (1) formatters registered here with <see cref="Register{T}(string, Func{T, object})"/>, (2) formatters registered
/// with Microsoft.DotNet.Interactive.Formatting's <c>Formatter.Register&lt;T&gt;(...)</c> as in .NET Interactive
/// notebooks, (3) whole-bundle formatters (<see cref="RegisterBundle{T}"/>; built in: DataFrame, PngImage, PlotlyChart). The default HTML of the
/// Formatting library (a collapsible tree for any object) is not used, and application/json is never added.
/// </summary>
public static class MimeFormatter
{
    private sealed record Registration(Type Type, string MimeType, Func<object, object> Format);

    private static readonly ConcurrentQueue<Registration> s_registrations = new();
    private static readonly ConcurrentQueue<(Type Type, Func<object, MimeBundle?> Format)> s_bundleFormatters = new();

    static MimeFormatter() => BuiltInFormatters.RegisterAll();

    /// <summary>
    /// Registers a formatter for values of type T (and subtypes) for one MIME type. The function returns a string
    /// (text types; base64 for binary types) or a <see cref="JsonNode"/> (JSON types). Later registrations win.
    /// </summary>
    public static void Register<T>(string mimeType, Func<T, object> format) =>
        s_registrations.Enqueue(new Registration(typeof(T), mimeType, v => format((T)v)));

    /// <summary>Registers a formatter that produces the whole bundle (data and metadata) for values of type T.</summary>
    public static void RegisterBundle<T>(Func<T, MimeBundle?> format) =>
        s_bundleFormatters.Enqueue((typeof(T), v => format((T)v)));

    /// <summary>The MIME bundle of a value; with <paramref name="mimeType"/>, only that type (plus text/plain).</summary>
    public static MimeBundle Format(object? value, string? mimeType = null)
    {
        if (value is null) return new MimeBundle { ["text/plain"] = Formatter.NullString ?? "<null>" };
        if (value is MimeBundle mb) return mb;

        var type = value.GetType();
        if (mimeType is not null)
        {
            var one = FormatAll(value, type);
            var result = new MimeBundle();
            if (one.TryGetValue(mimeType, out var data)) result[mimeType] = data;
            else if (value is string s) result[mimeType] = s;
            else result[mimeType] = SafeDisplayString(value, mimeType);
            if (one.Metadata.TryGetValue(mimeType, out var md)) result.Metadata[mimeType] = md;
            if (!result.ContainsKey("text/plain")) result["text/plain"] = one.TryGetValue("text/plain", out var p) ? p : PlainText(value);
            return result;
        }
        return FormatAll(value, type);
    }

    private static MimeBundle FormatAll(object value, Type type)
    {
        var bundle = new MimeBundle();

        // Formatters registered here (latest first), then those of Microsoft.DotNet.Interactive.Formatting.
        foreach (var r in s_registrations.Reverse())
            if (r.Type.IsAssignableFrom(type) && !bundle.ContainsKey(r.MimeType))
                bundle[r.MimeType] = r.Format(value);

        if (!IsPlain(type))
        {
            foreach (var f in RegisteredInteractiveFormatters(type))
            {
                if (bundle.ContainsKey(f.MimeType) || f.MimeType == "application/json") continue;
                try { bundle[f.MimeType] = Formatter.ToDisplayString(value, f); } catch { }
            }
            if (value is IHtmlContent html && !bundle.ContainsKey("text/html"))
                bundle["text/html"] = BuiltInFormatters.HtmlContentToString(html);
        }
        else
        {
            // A user formatter for a primitive type replaces its text/plain only.
            foreach (var f in RegisteredInteractiveFormatters(type))
                if (f.MimeType == "text/plain" && !bundle.ContainsKey("text/plain"))
                    try { bundle["text/plain"] = Formatter.ToDisplayString(value, f); } catch { }
        }

        // Whole-bundle formatters (built in: DataFrame, PngImage, PlotlyChart), latest registration first; they fill
        // what the registrations above left, so that a notebook's own Formatter.Register for these types wins.
        foreach (var (t, f) in s_bundleFormatters.Reverse())
        {
            if (!t.IsAssignableFrom(type)) continue;
            var b = f(value);
            if (b is null) continue;
            foreach (var (k, v) in b) bundle.TryAdd(k, v);
            foreach (var (k, v) in b.Metadata) bundle.Metadata.TryAdd(k, v);
            break;
        }

        if (!bundle.ContainsKey("text/plain")) bundle["text/plain"] = PlainText(value);
        return bundle;
    }

    private static IEnumerable<ITypeFormatter> RegisteredInteractiveFormatters(Type type)
    {
        List<ITypeFormatter> list;
        try { list = Formatter.RegisteredFormatters(false).ToList(); } catch { yield break; }
        // Registered later = earlier in the list? Order is not documented; the most specific type wins.
        foreach (var f in list
                     .Where(f => f.Type is not null && f.Type.IsAssignableFrom(type))
                     .OrderBy(f => f.Type == type ? 0 : f.Type.IsInterface ? 2 : 1))
            yield return f;
    }

    private static bool IsPlain(Type type) =>
        type.IsPrimitive || type.IsEnum || type == typeof(string) || type == typeof(decimal) ||
        type == typeof(DateTime) || type == typeof(DateTimeOffset) || type == typeof(TimeSpan) || type == typeof(Guid);

    /// <summary>text/plain of a value (Formatting's plain text formatter; ToString() when that fails).</summary>
    public static string PlainText(object? value)
    {
        if (value is null) return Formatter.NullString ?? "<null>";
        if (value is string s) return s;
        if (value is not System.Collections.IEnumerable && OverridesToString(value.GetType()))
        {
            try { return value.ToString() ?? ""; } catch { }
        }
        return SafeDisplayString(value, "text/plain");
    }

    private static bool OverridesToString(Type type)
    {
        if (type.IsPrimitive || type.IsEnum) return false;
        if (type.Name.Contains("AnonymousType", StringComparison.Ordinal)) return false;
        var m = type.GetMethod("ToString", Type.EmptyTypes);
        return m is not null && m.DeclaringType != typeof(object) && m.DeclaringType != typeof(ValueType);
    }

    private static string SafeDisplayString(object value, string mimeType)
    {
        try
        {
            var text = Formatter.ToDisplayString(value, mimeType);
            return text.Contains("Submission#", StringComparison.Ordinal)
                ? System.Text.RegularExpressions.Regex.Replace(text, @"Submission#\d+\+", "") : text;
        }
        catch
        {
            try { return value.ToString() ?? ""; } catch (Exception e) { return $"<{value.GetType().Name}: {e.Message}>"; }
        }
    }
}
