using System.Text;
using System.Text.Json.Nodes;
using NetMQ;
using NetMQ.Sockets;

namespace TsgbKit.Interactive.Tests.Support;

/// <summary>
/// A minimal Jupyter frontend on NetMQ: a DEALER on shell, a SUB on iopub, a DEALER on control. Every wait is
/// bounded.
/// </summary>
internal sealed class JupyterTestClient : IDisposable
{
    private readonly byte[] _key;
    private readonly DealerSocket _shell = new();
    private readonly DealerSocket _control = new();
    private readonly SubscriberSocket _iopub = new();
    private readonly string _session = Guid.NewGuid().ToString();

    public JupyterTestClient(KernelConnection connection)
    {
        _key = Encoding.ASCII.GetBytes(connection.Key);
        foreach (var socket in new NetMQSocket[] { _shell, _control, _iopub }) socket.Options.Linger = TimeSpan.Zero;
        _shell.Options.Identity = Encoding.ASCII.GetBytes(_session);
        _shell.Connect(connection.Endpoint(connection.ShellPort));
        _control.Connect(connection.Endpoint(connection.ControlPort));
        _iopub.Connect(connection.Endpoint(connection.IOPubPort));
        _iopub.SubscribeToAnyTopic();
    }

    /// <summary>Asks kernel_info until it is answered and IOPub delivers (the subscription is asynchronous).</summary>
    public JsonObject WaitForReady(TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (DateTime.UtcNow < deadline)
        {
            var id = Send(_shell, "kernel_info_request", new JsonObject());
            var reply = TryReceiveReply(_shell, id, TimeSpan.FromSeconds(2));
            if (reply is null) continue;
            if (TryReceive(_iopub, TimeSpan.FromMilliseconds(500)) is not null)
            {
                while (TryReceive(_iopub, TimeSpan.FromMilliseconds(200)) is not null) { }
                return reply.Content;
            }
        }
        throw new TimeoutException($"the kernel was not ready within {timeout}");
    }

    public ExecutionResult Execute(string code, TimeSpan timeout)
    {
        var id = Send(_shell, "execute_request", new JsonObject
        {
            ["code"] = code, ["silent"] = false, ["store_history"] = true,
            ["user_expressions"] = new JsonObject(), ["allow_stdin"] = false, ["stop_on_error"] = true,
        });
        var deadline = DateTime.UtcNow + timeout;
        var reply = TryReceiveReply(_shell, id, timeout) ?? throw new TimeoutException($"no execute_reply within {timeout} for: {code}");
        var outputs = new List<WireMessage>();
        while (true)
        {
            var left = deadline - DateTime.UtcNow;
            var message = TryReceive(_iopub, left > TimeSpan.FromSeconds(5) ? left : TimeSpan.FromSeconds(5))
                ?? throw new TimeoutException($"no idle status for: {code}");
            if (message.ParentId != id) continue;
            if (message.MsgType == "status")
            {
                if ((string?)message.Content["execution_state"] == "idle") return new ExecutionResult(reply, outputs);
                continue;
            }
            outputs.Add(message);
        }
    }

    /// <summary>shutdown_request on control; true when the kernel replied.</summary>
    public bool Shutdown(TimeSpan timeout)
    {
        var id = Send(_control, "shutdown_request", new JsonObject { ["restart"] = false });
        return TryReceiveReply(_control, id, timeout) is not null;
    }

    private string Send(NetMQSocket socket, string msgType, JsonObject content)
    {
        var id = Guid.NewGuid().ToString();
        var header = new JsonObject
        {
            ["msg_id"] = id, ["session"] = _session, ["username"] = "test", ["msg_type"] = msgType,
            ["version"] = "5.3", ["date"] = DateTime.UtcNow.ToString("o"),
        };
        var message = new NetMQMessage();
        foreach (var frame in WireMessage.Encode(_key, header, content)) message.Append(frame);
        socket.SendMultipartMessage(message);
        return id;
    }

    private WireMessage? TryReceiveReply(NetMQSocket socket, string id, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (DateTime.UtcNow < deadline)
        {
            var message = TryReceive(socket, deadline - DateTime.UtcNow);
            if (message?.ParentId == id) return message;
        }
        return null;
    }

    private WireMessage? TryReceive(NetMQSocket socket, TimeSpan timeout)
    {
        var frames = new NetMQMessage();
        if (timeout <= TimeSpan.Zero || !socket.TryReceiveMultipartMessage(timeout, ref frames)) return null;
        return WireMessage.Decode(_key, frames.Select(f => f.ToByteArray()).ToList());
    }

    public void Dispose()
    {
        _shell.Dispose();
        _control.Dispose();
        _iopub.Dispose();
    }
}
