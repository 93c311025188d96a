using NetMQ;
using NetMQ.Sockets;
using TsgbKit.Jupyter.Connection;

namespace TsgbKit.Jupyter.Sockets;

/// <summary>
/// Shell, control, stdin (ROUTER) and iopub (PUB), all owned by one poller thread because NetMQ sockets are not
/// thread-safe. Other threads hand frames to <see cref="Send"/>; a NetMQQueue carries them onto the poller thread,
/// in order, so outputs always precede the reply and the idle status that follow them.
/// </summary>
internal sealed class KernelSockets : IDisposable
{
    private static readonly TimeSpan Linger = TimeSpan.FromSeconds(1); // lets the last replies go out on close

    private readonly RouterSocket _shell = new();
    private readonly RouterSocket _control = new();
    private readonly RouterSocket _stdin = new();
    private readonly PublisherSocket _iopub = new();
    private readonly NetMQQueue<OutgoingFrames> _outgoing = new();
    private readonly NetMQPoller _poller;
    private readonly Action<KernelChannel, List<byte[]>> _onReceived;
    private readonly KernelLog _log;
    private readonly TaskCompletionSource _drained = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private int _disposed;

    public KernelSockets(ConnectionInfo connection, Action<KernelChannel, List<byte[]>> onReceived, KernelLog log)
    {
        _onReceived = onReceived;
        _log = log;
        try
        {
            Bound = connection with
            {
                ShellPort = Bind(_shell, connection, connection.ShellPort),
                ControlPort = Bind(_control, connection, connection.ControlPort),
                StdinPort = Bind(_stdin, connection, connection.StdinPort),
                IOPubPort = Bind(_iopub, connection, connection.IOPubPort),
            };
        }
        catch
        {
            DisposeSockets();
            _outgoing.Dispose();
            throw;
        }

        _shell.ReceiveReady += (_, e) => ReceiveAll(KernelChannel.Shell, e.Socket);
        _control.ReceiveReady += (_, e) => ReceiveAll(KernelChannel.Control, e.Socket);
        _stdin.ReceiveReady += (_, e) => ReceiveAll(KernelChannel.Stdin, e.Socket);
        _outgoing.ReceiveReady += (_, _) => SendQueued();
        _poller = new NetMQPoller { _shell, _control, _stdin, _iopub, _outgoing };
    }

    /// <summary>The connection with the ports actually bound.</summary>
    public ConnectionInfo Bound { get; }

    public void Start() => _poller.RunAsync("jupyter-sockets", isBackgroundThread: true);

    /// <summary>Thread-safe: queues frames for the poller thread.</summary>
    public void Send(KernelChannel channel, IReadOnlyList<byte[]> frames)
    {
        if (Volatile.Read(ref _disposed) != 0) return;
        try { _outgoing.Enqueue(new OutgoingFrames(channel, frames)); }
        catch (ObjectDisposedException) { }
    }

    /// <summary>Sends what is queued so far, then stops the poller. Completes when the queue is drained.</summary>
    public Task DrainAndStopAsync()
    {
        try { _outgoing.Enqueue(OutgoingFrames.EndOfStream); }
        catch (ObjectDisposedException) { _drained.TrySetResult(); }
        return _drained.Task;
    }

    /// <summary>
    /// Reads every shell message that has reached the socket into the request queue, so that stop_on_error sees
    /// all requests sent before the failure. Waits at most <paramref name="timeout"/>.
    /// </summary>
    public void PullPendingShellMessages(TimeSpan timeout)
    {
        using var done = new ManualResetEventSlim();
        try { _outgoing.Enqueue(new OutgoingFrames(KernelChannel.Shell, null, () => { ReceiveAll(KernelChannel.Shell, _shell); done.Set(); })); }
        catch (ObjectDisposedException) { return; }
        done.Wait(timeout);
    }

    private static int Bind(NetMQSocket socket, ConnectionInfo connection, int port)
    {
        socket.Options.Linger = Linger;
        if (port == 0 && connection.Transport == "tcp") return socket.BindRandomPort(connection.RandomPortEndpoint);
        socket.Bind(connection.Endpoint(port));
        return port;
    }

    private void ReceiveAll(KernelChannel channel, NetMQSocket socket)
    {
        var message = new NetMQMessage();
        while (socket.TryReceiveMultipartMessage(TimeSpan.Zero, ref message))
        {
            var frames = new List<byte[]>(message.FrameCount);
            foreach (var frame in message) frames.Add(frame.ToByteArray());
            try { _onReceived(channel, frames); }
            catch (Exception e) { _log.Error($"{channel}: handling an incoming message failed: {e}"); }
            message = new NetMQMessage();
        }
    }

    private void SendQueued()
    {
        while (_outgoing.TryDequeue(out var item, TimeSpan.Zero))
        {
            if (item.OnSocketThread is { } action)
            {
                action();
                continue;
            }
            if (item.Frames is null)
            {
                _poller.Stop(); // called from the poller thread: returns after this handler
                _drained.TrySetResult();
                return;
            }
            var socket = SocketFor(item.Channel);
            var message = new NetMQMessage(item.Frames.Count);
            foreach (var frame in item.Frames) message.Append(frame);
            try
            {
                // ROUTER drops messages to unknown identities; PUB never blocks. A bounded wait guards against HWM.
                if (!socket.TrySendMultipartMessage(TimeSpan.FromSeconds(1), message))
                    _log.Warn($"{item.Channel}: send timed out, message dropped");
            }
            catch (NetMQException e)
            {
                _log.Warn($"{item.Channel}: send failed: {e.Message}");
            }
        }
    }

    private NetMQSocket SocketFor(KernelChannel channel) => channel switch
    {
        KernelChannel.Shell => _shell,
        KernelChannel.Control => _control,
        KernelChannel.Stdin => _stdin,
        _ => _iopub,
    };

    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0) return;
        if (_poller.IsRunning) _poller.Stop();
        _poller.Dispose();
        DisposeSockets();
        _outgoing.Dispose();
        _drained.TrySetResult();
    }

    private void DisposeSockets()
    {
        _shell.Dispose();
        _control.Dispose();
        _stdin.Dispose();
        _iopub.Dispose();
    }
}
