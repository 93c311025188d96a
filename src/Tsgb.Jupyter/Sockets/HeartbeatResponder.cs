using NetMQ;
using NetMQ.Sockets;

namespace TsgbKit.Jupyter.Sockets;

/// <summary>
/// Echoes every heartbeat on a thread of its own, so the frontend sees the kernel alive while a cell runs.
/// A ROUTER that sends back what it received answers both REQ and DEALER clients.
/// </summary>
internal sealed class HeartbeatResponder : IDisposable
{
    private static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(100);
    private readonly Thread _thread;
    private readonly TaskCompletionSource<int> _bound = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly KernelLog _log;
    private volatile bool _stopping;

    public HeartbeatResponder(Connection.ConnectionInfo connection, KernelLog log)
    {
        _log = log;
        _thread = new Thread(() => Run(connection)) { IsBackground = true, Name = "jupyter-heartbeat" };
        _thread.Start();
        Port = _bound.Task.GetAwaiter().GetResult(); // rethrows a bind failure here
    }

    /// <summary>The bound port (the given one, or the one picked for port 0).</summary>
    public int Port { get; }

    private void Run(Connection.ConnectionInfo connection)
    {
        RouterSocket socket;
        try
        {
            socket = new RouterSocket();
            socket.Options.Linger = TimeSpan.Zero;
            var port = connection.HeartbeatPort;
            if (port == 0 && connection.Transport == "tcp") port = socket.BindRandomPort(connection.RandomPortEndpoint);
            else socket.Bind(connection.Endpoint(port));
            _bound.SetResult(port);
        }
        catch (Exception e)
        {
            _bound.SetException(e);
            return;
        }

        using (socket)
        {
            var message = new NetMQMessage();
            while (!_stopping)
            {
                try
                {
                    if (!socket.TryReceiveMultipartMessage(PollInterval, ref message)) continue;
                    socket.SendMultipartMessage(message);
                }
                catch (Exception e) when (e is NetMQException or ObjectDisposedException)
                {
                    _log.Warn($"heartbeat: {e.Message}");
                }
            }
        }
    }

    public void Dispose()
    {
        _stopping = true;
        _thread.Join(TimeSpan.FromSeconds(2));
    }
}
