using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace TsgbKit.Jupyter.Messages;

/// <summary>
/// The multipart wire layout: [identities…] "&lt;IDS|MSG&gt;" signature header parent_header metadata content [buffers…].
/// </summary>
internal static class WireFormat
{
    public static readonly byte[] Delimiter = "<IDS|MSG>"u8.ToArray();

    private static readonly JsonSerializerOptions JsonOptions = new()
    {
        // Valid JSON either way; relaxed escaping keeps non-ASCII text readable on the wire.
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    public static byte[] ToUtf8(JsonNode node) => Encoding.UTF8.GetBytes(node.ToJsonString(JsonOptions));

    /// <summary>Frames of one outgoing message, signed.</summary>
    public static List<byte[]> Encode(
        IReadOnlyList<byte[]> identities, JsonObject header, JsonObject parentHeader, JsonObject metadata,
        JsonObject content, IReadOnlyList<byte[]>? buffers, MessageSigner signer)
    {
        var h = ToUtf8(header);
        var p = ToUtf8(parentHeader);
        var m = ToUtf8(metadata);
        var c = ToUtf8(content);
        var frames = new List<byte[]>(identities.Count + 6 + (buffers?.Count ?? 0));
        frames.AddRange(identities);
        frames.Add(Delimiter);
        frames.Add(signer.Sign(h, p, m, c));
        frames.Add(h);
        frames.Add(p);
        frames.Add(m);
        frames.Add(c);
        if (buffers is not null) frames.AddRange(buffers);
        return frames;
    }

    /// <summary>Decodes and authenticates; returns null with a reason when the message must be dropped.</summary>
    public static JupyterMessage? Decode(IReadOnlyList<byte[]> frames, MessageSigner signer, out string? rejection)
    {
        rejection = null;
        var delimiter = -1;
        for (var i = 0; i < frames.Count; i++)
        {
            if (frames[i].AsSpan().SequenceEqual(Delimiter)) { delimiter = i; break; }
        }
        if (delimiter < 0) { rejection = "no <IDS|MSG> delimiter"; return null; }
        if (frames.Count - delimiter < 6) { rejection = "fewer than five frames after the delimiter"; return null; }

        var signature = frames[delimiter + 1];
        var header = frames[delimiter + 2];
        var parent = frames[delimiter + 3];
        var metadata = frames[delimiter + 4];
        var content = frames[delimiter + 5];
        if (signer.Enabled && signature.Length == 0) { rejection = "missing signature"; return null; }
        if (!signer.Verify(signature, header, parent, metadata, content)) { rejection = "invalid signature"; return null; }

        try
        {
            var headerObj = ParseObject(header) ?? throw new JsonException("header is not an object");
            var msg = new JupyterMessage(
                frames.Take(delimiter).ToArray(),
                headerObj,
                ParseObject(parent) ?? new JsonObject(),
                ParseObject(metadata) ?? new JsonObject(),
                ParseObject(content) ?? new JsonObject(),
                frames.Skip(delimiter + 6).ToArray());
            if (msg.MsgType.Length == 0) { rejection = "header has no msg_type"; return null; }
            return msg;
        }
        catch (JsonException e)
        {
            rejection = "malformed JSON: " + e.Message;
            return null;
        }
    }

    private static JsonObject? ParseObject(byte[] utf8) =>
        utf8.Length == 0 ? null : JsonNode.Parse(utf8) as JsonObject;
}
