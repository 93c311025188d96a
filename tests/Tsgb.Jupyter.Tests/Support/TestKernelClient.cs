using System.Text;
using System.Text.Json.Nodes;
using NetMQ;
using NetMQ.Sockets;
using TsgbKit.Jupyter.Connection;
using TsgbKit.Jupyter.Messages;

namespace TsgbKit.Jupyter.Tests.Support;

/// <summary>
/// A frontend made of NetMQ sockets, as jupyter_client builds one: DEALERs for shell, control and stdin (shell and
/// stdin share an identity so input_request finds us), a SUB for iopub and a DEALER for heartbeats.
/// </summary>
internal sealed class TestKernelClient : IDisposable
{
    public static readonly TimeSpan Timeout = TimeSpan.FromSeconds(10);

    private readonly MessageSigner _signer;

    public TestKernelClient(ConnectionInfo connection)
    {
        _signer = new MessageSigner(connection.Key, connection.SignatureScheme);
        var identity = Encoding.ASCII.GetBytes(Session);
        Shell.Options.Identity = identity;
        Stdin.Options.Identity = identity;
        foreach (var socket in new NetMQSocket[] { Shell, Control, Stdin, IOPub, Heartbeat }) socket.Options.Linger = TimeSpan.Zero;
        Shell.Connect(connection.Endpoint(connection.ShellPort));
        Control.Connect(connection.Endpoint(connection.ControlPort));
        Stdin.Connect(connection.Endpoint(connection.StdinPort));
        IOPub.Connect(connection.Endpoint(connection.IOPubPort));
        IOPub.SubscribeToAnyTopic();
        Heartbeat.Connect(connection.Endpoint(connection.HeartbeatPort));
    }

    public string Session { get; } = Guid.NewGuid().ToString();
    public DealerSocket Shell { get; } = new();
    public DealerSocket Control { get; } = new();
    public DealerSocket Stdin { get; } = new();
    public SubscriberSocket IOPub { get; } = new();
    public DealerSocket Heartbeat { get; } = new();

    /// <summary>A subscription takes effect asynchronously: ask kernel_info until its status messages reach us.</summary>
    public void WaitUntilIOPubConnected()
    {
        var deadline = DateTime.UtcNow + Timeout;
        while (DateTime.UtcNow < deadline)
        {
            var id = Send(Shell, "kernel_info_request", new JsonObject());
            ReceiveReply(Shell, id);
            if (TryReceive(IOPub, TimeSpan.FromMilliseconds(300)) is not null)
            {
                while (TryReceive(IOPub, TimeSpan.FromMilliseconds(300)) is not null) { } // drain the handshake
                return;
            }
        }
        throw new TimeoutException("IOPub never delivered a message.");
    }

    public JsonObject NewHeader(string msgType) => MessageHeader.Create(msgType, Session, "test");

    /// <summary>Sends a signed request; returns its msg_id.</summary>
    public string Send(NetMQSocket socket, string msgType, JsonObject content, IReadOnlyList<byte[]>? prefixFrames = null)
    {
        var header = NewHeader(msgType);
        SendFrames(socket, WireFormat.Encode(prefixFrames ?? [], header, new JsonObject(), new JsonObject(), content, null, _signer));
        return header.GetString("msg_id")!;
    }

    public string Execute(string code, bool silent = false, bool storeHistory = true, bool allowStdin = false, bool stopOnError = true,
        JsonObject? userExpressions = null) =>
        Send(Shell, "execute_request", new JsonObject
        {
            ["code"] = code,
            ["silent"] = silent,
            ["store_history"] = storeHistory,
            ["user_expressions"] = userExpressions ?? new JsonObject(),
            ["allow_stdin"] = allowStdin,
            ["stop_on_error"] = stopOnError,
        });

    public static void SendFrames(NetMQSocket socket, IEnumerable<byte[]> frames)
    {
        var message = new NetMQMessage();
        foreach (var frame in frames) message.Append(frame);
        socket.SendMultipartMessage(message);
    }

    public static List<byte[]>? TryReceiveFrames(NetMQSocket socket, TimeSpan timeout)
    {
        var message = new NetMQMessage();
        if (!socket.TryReceiveMultipartMessage(timeout, ref message)) return null;
        return message.Select(f => f.ToByteArray()).ToList();
    }

    /// <summary>The next message on a socket, decoded and signature-checked (a bad kernel signature fails the test).</summary>
    public JupyterMessage? TryReceive(NetMQSocket socket, TimeSpan timeout)
    {
        var frames = TryReceiveFrames(socket, timeout);
        if (frames is null) return null;
        return WireFormat.Decode(frames, _signer, out var rejection)
            ?? throw new InvalidDataException("The kernel sent an invalid message: " + rejection);
    }

    public JupyterMessage Receive(NetMQSocket socket) =>
        TryReceive(socket, Timeout) ?? throw new TimeoutException("No message within " + Timeout);

    /// <summary>The reply to <paramref name="msgId"/>; replies to other requests are skipped.</summary>
    public JupyterMessage ReceiveReply(NetMQSocket socket, string msgId)
    {
        var deadline = DateTime.UtcNow + Timeout;
        while (DateTime.UtcNow < deadline)
        {
            var message = TryReceive(socket, deadline - DateTime.UtcNow);
            if (message?.ParentHeader.GetString("msg_id") == msgId) return message;
        }
        throw new TimeoutException($"No reply to {msgId}.");
    }

    /// <summary>IOPub messages whose parent is <paramref name="msgId"/>, through its idle status.</summary>
    public List<JupyterMessage> ReceiveIOPubUntilIdle(string msgId)
    {
        var collected = new List<JupyterMessage>();
        var deadline = DateTime.UtcNow + Timeout;
        while (DateTime.UtcNow < deadline)
        {
            var message = TryReceive(IOPub, deadline - DateTime.UtcNow);
            if (message is null || message.ParentHeader.GetString("msg_id") != msgId) continue;
            collected.Add(message);
            if (message.MsgType == "status" && message.Content.GetString("execution_state") == "idle") return collected;
        }
        throw new TimeoutException($"No idle status for {msgId}; got: {string.Join(", ", collected.Select(m => m.MsgType))}");
    }

    public void Dispose()
    {
        Shell.Dispose();
        Control.Dispose();
        Stdin.Dispose();
        IOPub.Dispose();
        Heartbeat.Dispose();
    }
}
