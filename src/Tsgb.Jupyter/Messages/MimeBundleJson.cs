using System.Text.Json;
using System.Text.Json.Nodes;

namespace TsgbKit.Jupyter.Messages;

/// <summary>MimeBundle → the "data" and "metadata" objects of display_data / execute_result / inspect_reply / payloads.</summary>
internal static class MimeBundleJson
{
    public static JsonObject Data(MimeBundle bundle)
    {
        var data = new JsonObject();
        foreach (var (mime, value) in bundle) data[mime] = ToNode(value);
        return data;
    }

    public static JsonObject Metadata(MimeBundle bundle)
    {
        var metadata = new JsonObject();
        foreach (var (key, value) in bundle.Metadata) metadata[key] = ToNode(value);
        return metadata;
    }

    /// <summary>One value of a bundle (or of a payload, whose "data" is a bundle itself) as JSON.</summary>
    public static JsonNode? ToNode(object? value) => value switch
    {
        null => null,
        MimeBundle bundle => Data(bundle),
        string s => JsonValue.Create(s),
        JsonNode node => node.DeepClone(), // a node can have one parent; the bundle may be reused
        JsonElement element => JsonNode.Parse(element.GetRawText()),
        byte[] bytes => JsonValue.Create(Convert.ToBase64String(bytes)),
        _ => JsonSerializer.SerializeToNode(value, value.GetType()),
    };
}
