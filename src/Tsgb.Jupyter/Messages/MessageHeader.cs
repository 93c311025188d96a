using System.Globalization;
using System.Text.Json.Nodes;

namespace TsgbKit.Jupyter.Messages;

/// <summary>Headers of outgoing messages: a fresh msg_id and an ISO-8601 UTC date every time.</summary>
internal static class MessageHeader
{
    public const string ProtocolVersion = "5.3";

    public static JsonObject Create(string msgType, string session, string username = "kernel") => new()
    {
        ["msg_id"] = Guid.NewGuid().ToString(),
        ["session"] = session,
        ["username"] = username,
        ["date"] = DateTimeOffset.UtcNow.ToString("yyyy-MM-dd'T'HH:mm:ss.ffffff'Z'", CultureInfo.InvariantCulture),
        ["msg_type"] = msgType,
        ["version"] = ProtocolVersion,
    };
}
