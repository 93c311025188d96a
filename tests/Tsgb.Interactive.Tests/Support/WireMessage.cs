using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;

namespace TsgbKit.Interactive.Tests.Support;

/// <summary>One Jupyter message as a test reads it.</summary>
internal sealed record WireMessage(JsonObject Header, JsonObject ParentHeader, JsonObject Metadata, JsonObject Content)
{
    public string MsgType => (string)Header["msg_type"]!;
    public string? ParentId => (string?)ParentHeader["msg_id"];

    /// <summary>The frames of a message after the routing prefix: delimiter, HMAC-SHA256 signature, four JSON parts.</summary>
    public static List<byte[]> Encode(byte[] key, JsonObject header, JsonObject content)
    {
        var parts = new[] { header, new JsonObject(), new JsonObject(), content }
            .Select(p => Encoding.UTF8.GetBytes(p.ToJsonString())).ToArray();
        return [Encoding.ASCII.GetBytes("<IDS|MSG>"), Encoding.ASCII.GetBytes(Sign(key, parts)), .. parts];
    }

    /// <summary>Decodes frames; a wrong signature fails the test (the kernel must sign what it sends).</summary>
    public static WireMessage Decode(byte[] key, IReadOnlyList<byte[]> frames)
    {
        var delimiter = frames.ToList().FindIndex(f => Encoding.ASCII.GetString(f) == "<IDS|MSG>");
        if (delimiter < 0 || frames.Count < delimiter + 6) throw new InvalidDataException("not a Jupyter message");
        var parts = frames.Skip(delimiter + 2).Take(4).ToArray();
        var signature = Encoding.ASCII.GetString(frames[delimiter + 1]);
        if (signature != Sign(key, parts)) throw new InvalidDataException("bad signature from the kernel");
        JsonObject Parse(byte[] b) => JsonNode.Parse(b) as JsonObject ?? new JsonObject();
        return new WireMessage(Parse(parts[0]), Parse(parts[1]), Parse(parts[2]), Parse(parts[3]));
    }

    private static string Sign(byte[] key, IEnumerable<byte[]> parts)
    {
        using var hmac = new HMACSHA256(key);
        foreach (var p in parts) hmac.TransformBlock(p, 0, p.Length, null, 0);
        hmac.TransformFinalBlock([], 0, 0);
        return Convert.ToHexString(hmac.Hash!).ToLowerInvariant();
    }
}
