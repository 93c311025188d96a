using System.Text.Json.Nodes;
using TsgbKit.Jupyter.Messages;
using TsgbKit.Jupyter.Sockets;

namespace TsgbKit.Jupyter.Execution;

/// <summary>
/// input_request / input_reply: the cell's thread blocks in <see cref="ReadInput"/> until the frontend answers on
/// the stdin socket (received on the socket thread). One request at a time, as there is one running cell.
/// </summary>
internal sealed class StdinBridge
{
    private readonly MessageSender _sender;
    private readonly KernelLog _log;
    private readonly object _gate = new();
    private TaskCompletionSource<string>? _pending;

    public StdinBridge(MessageSender sender, KernelLog log)
    {
        _sender = sender;
        _log = log;
    }

    /// <summary>Asks the frontend that sent <paramref name="executeRequest"/>; cancellation means an interrupt.</summary>
    public string ReadInput(JupyterMessage executeRequest, string prompt, bool password, CancellationToken cancel)
    {
        var pending = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);
        lock (_gate)
        {
            if (_pending is not null) throw new InvalidOperationException("Another input request is already waiting for the frontend.");
            _pending = pending;
        }
        try
        {
            // The frontend's stdin socket has the same identity as its shell socket, so the shell identities route it.
            _sender.Send(KernelChannel.Stdin, executeRequest.Identities, "input_request",
                new JsonObject { ["prompt"] = prompt, ["password"] = password }, executeRequest.Header, null);
            pending.Task.Wait(cancel);
            return pending.Task.Result;
        }
        catch (AggregateException e) when (e.InnerException is OperationCanceledException oce)
        {
            throw oce;
        }
        finally
        {
            lock (_gate) if (ReferenceEquals(_pending, pending)) _pending = null;
        }
    }

    /// <summary>Called on the socket thread with every message that arrives on stdin.</summary>
    public void OnMessage(JupyterMessage message)
    {
        if (message.MsgType != "input_reply")
        {
            _log.Warn($"stdin: ignoring unexpected '{message.MsgType}'");
            return;
        }
        TaskCompletionSource<string>? pending;
        lock (_gate) pending = _pending;
        if (pending is null) { _log.Warn("stdin: input_reply without a pending input_request"); return; }
        pending.TrySetResult(message.Content.GetString("value") ?? "");
    }

    /// <summary>Releases a waiting cell at shutdown.</summary>
    public void CancelPending()
    {
        lock (_gate) _pending?.TrySetCanceled();
    }
}
