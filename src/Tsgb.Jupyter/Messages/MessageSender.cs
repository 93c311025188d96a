using System.Text.Json.Nodes;
using TsgbKit.Jupyter.Sockets;

namespace TsgbKit.Jupyter.Messages;

/// <summary>
/// Builds, signs and queues outgoing messages: every one gets a fresh header in the kernel's session and the
/// request's header as parent_header. Thread-safe (user threads write streams through it).
/// </summary>
internal sealed class MessageSender
{
    private readonly Action<KernelChannel, IReadOnlyList<byte[]>> _send;
    private readonly MessageSigner _signer;

    public MessageSender(string session, MessageSigner signer, Action<KernelChannel, IReadOnlyList<byte[]>> send)
    {
        Session = session;
        _signer = signer;
        _send = send;
    }

    /// <summary>The kernel's session id, the same in every message it sends.</summary>
    public string Session { get; }

    /// <summary>A reply on the request's own socket, routed back through its identities.</summary>
    public void Reply(KernelChannel channel, JupyterMessage request, string msgType, JsonObject content, JsonObject? metadata = null) =>
        Send(channel, request.Identities, msgType, content, request.Header, metadata);

    /// <summary>A broadcast on IOPub; the topic frame is the message type.</summary>
    public void Publish(string msgType, JsonObject content, JsonObject? parentHeader) =>
        Send(KernelChannel.IOPub, [System.Text.Encoding.UTF8.GetBytes(msgType)], msgType, content, parentHeader, null);

    public void PublishStatus(string executionState, JsonObject? parentHeader) =>
        Publish("status", new JsonObject { ["execution_state"] = executionState }, parentHeader);

    public void Send(KernelChannel channel, IReadOnlyList<byte[]> identities, string msgType, JsonObject content,
        JsonObject? parentHeader, JsonObject? metadata)
    {
        var frames = WireFormat.Encode(
            identities,
            MessageHeader.Create(msgType, Session),
            parentHeader is null ? new JsonObject() : (JsonObject)parentHeader.DeepClone(),
            metadata ?? new JsonObject(),
            content,
            null,
            _signer);
        _send(channel, frames);
    }
}
