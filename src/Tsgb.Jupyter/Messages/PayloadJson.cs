using System.Text.Json.Nodes;

namespace TsgbKit.Jupyter.Messages;

/// <summary>ExecutionPayload list → execute_reply's "payload" array ({"source": ..., fields...} per entry).</summary>
internal static class PayloadJson
{
    public static JsonArray Array(IReadOnlyList<ExecutionPayload>? payloads)
    {
        var array = new JsonArray();
        foreach (var payload in payloads ?? [])
        {
            var entry = new JsonObject { ["source"] = payload.Source };
            foreach (var (name, value) in payload.Fields)
                if (name != "source") entry[name] = MimeBundleJson.ToNode(value); // the source named by the record wins
            array.Add(entry);
        }
        return array;
    }
}
