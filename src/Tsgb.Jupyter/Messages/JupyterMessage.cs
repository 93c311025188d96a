using System.Text.Json.Nodes;

namespace TsgbKit.Jupyter.Messages;

/// <summary>One decoded message: routing identities, the four JSON parts, and any binary buffers.</summary>
internal sealed record JupyterMessage(
    IReadOnlyList<byte[]> Identities,
    JsonObject Header,
    JsonObject ParentHeader,
    JsonObject Metadata,
    JsonObject Content,
    IReadOnlyList<byte[]> Buffers)
{
    public string MsgType => Header.GetString("msg_type") ?? "";
    public string MsgId => Header.GetString("msg_id") ?? "";
}
