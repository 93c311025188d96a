using System.Text.Json;
using System.Text.Json.Nodes;

namespace TsgbKit.Jupyter.Messages;

/// <summary>Tolerant reads of message fields: frontends omit optional ones and some send null.</summary>
internal static class JsonAccess
{
    public static string? GetString(this JsonObject obj, string name) =>
        obj[name] is JsonValue v && v.GetValueKind() == JsonValueKind.String ? v.GetValue<string>() : null;

    public static bool GetBool(this JsonObject obj, string name, bool fallback) =>
        obj[name] is JsonValue v ? v.GetValueKind() switch
        {
            JsonValueKind.True => true,
            JsonValueKind.False => false,
            JsonValueKind.Number => v.GetValue<double>() != 0, // some clients send 0/1
            _ => fallback,
        } : fallback;

    public static int? GetInt(this JsonObject obj, string name) =>
        obj[name] is JsonValue v && v.GetValueKind() == JsonValueKind.Number ? (int)v.GetValue<double>() : null;
}
