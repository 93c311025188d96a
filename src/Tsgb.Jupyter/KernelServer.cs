using TsgbKit.Jupyter.Connection;
using TsgbKit.Jupyter.Execution;
using TsgbKit.Jupyter.Handlers;
using TsgbKit.Jupyter.Messages;
using TsgbKit.Jupyter.Sockets;

namespace TsgbKit.Jupyter;

/// <summary>
/// A Jupyter kernel (messaging protocol 5.3) around an <see cref="IInterpreter"/>. Threads: one owns the four
/// message sockets, one echoes heartbeats, one handles shell requests (and runs cells), one handles control.
/// </summary>
public sealed class KernelServer : IDisposable
{
    private readonly KernelServerOptions _options;
    private readonly KernelLog _log;
    private readonly MessageSigner _signer;
    private readonly KernelState _state = new();
    private readonly HeartbeatResponder _heartbeat;
    private readonly KernelSockets _sockets;
    private readonly StdinBridge _stdin;
    private readonly RequestQueue _shell;
    private readonly RequestQueue _control;
    private readonly MessageSender _sender;
    private readonly IInterpreter _interpreter;
    private readonly TaskCompletionSource _completion = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private int _started;
    private int _stopping;

    /// <summary>Binds all five sockets (ports of 0 are picked freely); call <see cref="Start"/> to serve.</summary>
    public KernelServer(ConnectionInfo connection, IInterpreter interpreter, KernelServerOptions? options = null)
    {
        if (connection.Transport != "tcp")
        {
            // NetMQ emulates ipc over loopback TCP, which libzmq clients (jupyter_client) cannot reach: fail loudly.
            throw new NotSupportedException(
                $"Transport '{connection.Transport}' is not supported by this kernel (NetMQ's ipc does not interoperate with libzmq); use tcp.");
        }
        _options = options ?? new KernelServerOptions();
        _log = _options.Log;
        _signer = new MessageSigner(connection.Key, connection.SignatureScheme);
        if (!_signer.Enabled) _log.Warn("the connection key is empty: messages are neither signed nor verified");

        _interpreter = interpreter;
        _heartbeat = new HeartbeatResponder(connection, _log);
        try
        {
            _sockets = new KernelSockets(connection, OnReceived, _log);
        }
        catch
        {
            _heartbeat.Dispose();
            throw;
        }
        Connection = _sockets.Bound with { HeartbeatPort = _heartbeat.Port };

        _sender = new MessageSender(Guid.NewGuid().ToString(), _signer, _sockets.Send);
        _stdin = new StdinBridge(_sender, _log);
        var history = new ExecutionHistory();
        var execute = new ExecuteHandler(interpreter, _sender, _state, history, _stdin, _log,
            () => _sockets.PullPendingShellMessages(TimeSpan.FromSeconds(1)));
        IRequestHandler[] handlers =
        [
            new KernelInfoHandler(interpreter, _sender),
            new IsCompleteHandler(interpreter, _sender),
            new CompleteHandler(interpreter, _sender),
            new InspectHandler(interpreter, _sender),
            new HistoryHandler(history, _sender),
            new CommHandler(_sender, _log),
            new ShutdownHandler(_sender, _state, _log),
            new InterruptHandler(_sender, _state, _log),
            new ConnectHandler(() => Connection, _sender),
        ];
        var dispatcher = new RequestDispatcher(handlers, execute, _sender, _state, _log, () => _ = StopAsync());
        _shell = new RequestQueue("jupyter-shell", dispatcher, _log);
        _control = new RequestQueue("jupyter-control", dispatcher, _log);
    }

    /// <summary>The connection as bound: the given ports, or the ones picked for ports of 0.</summary>
    public ConnectionInfo Connection { get; }

    /// <summary>The session id in the header of every message this kernel sends.</summary>
    public string Session => _sender.Session;

    /// <summary>Completes when the server has stopped (shutdown_request, <see cref="StopAsync"/>).</summary>
    public Task Completion => _completion.Task;

    /// <summary>Serves until shutdown_request or cancellation; SIGINT interrupts the running cell.</summary>
    public static Task RunAsync(string connectionFile, IInterpreter interpreter, CancellationToken cancel = default) =>
        RunAsync(ConnectionInfo.Load(connectionFile), interpreter, new KernelServerOptions(), cancel);

    public static async Task RunAsync(ConnectionInfo connection, IInterpreter interpreter, KernelServerOptions options, CancellationToken cancel)
    {
        using var server = new KernelServer(connection, interpreter, options);
        using var sigint = options.InterruptOnSigint ? SigintInterrupt.Register(server.Interrupt) : null;
        server.Start();
        await using var stopOnCancel = cancel.Register(() => _ = server.StopAsync());
        await server.Completion.ConfigureAwait(false);
    }

    public void Start()
    {
        if (Interlocked.Exchange(ref _started, 1) != 0) throw new InvalidOperationException("The kernel server is already started.");
        _sockets.Start();
        _shell.Start();
        _control.Start();
        _sender.PublishStatus("starting", null);
        _log.Info($"kernel listening: {Connection.Transport}://{Connection.Ip} shell={Connection.ShellPort} " +
                  $"iopub={Connection.IOPubPort} stdin={Connection.StdinPort} control={Connection.ControlPort} hb={Connection.HeartbeatPort}");
    }

    /// <summary>Interrupts the running cell, as interrupt_request does (for SIGINT).</summary>
    public void Interrupt()
    {
        _log.Info(_state.Interrupt() ? "interrupt: cancelling the running cell" : "interrupt: no cell is running");
    }

    /// <summary>Sends what is queued, closes the sockets and completes <see cref="Completion"/>. Idempotent.</summary>
    public Task StopAsync()
    {
        if (Interlocked.Exchange(ref _stopping, 1) == 0) _ = Task.Run(StopCoreAsync);
        return Completion;
    }

    private async Task StopCoreAsync()
    {
        try
        {
            _state.RequestShutdown();
            _state.Interrupt();
            _stdin.CancelPending();
            _control.Stop(TimeSpan.FromSeconds(1));
            if (_shell.Stop(_options.ShutdownGrace)) ResetInterpreter();
            else _log.Warn("a cell ignored the interrupt; stopping without Reset()");
            if (_started != 0)
                await _sockets.DrainAndStopAsync().WaitAsync(TimeSpan.FromSeconds(2)).ConfigureAwait(false);
        }
        catch (Exception e)
        {
            _log.Warn($"shutdown: {e.Message}");
        }
        finally
        {
            _sockets.Dispose();
            _heartbeat.Dispose();
            _log.Info("kernel stopped");
            _completion.TrySetResult();
        }
    }

    private void ResetInterpreter()
    {
        try { _interpreter.Reset(); }
        catch (Exception e) { _log.Warn($"Reset() failed during shutdown: {e.Message}"); }
    }

    private void OnReceived(KernelChannel channel, List<byte[]> frames)
    {
        var message = WireFormat.Decode(frames, _signer, out var rejection);
        if (message is null)
        {
            _log.Warn($"{channel}: message dropped: {rejection}");
            return;
        }
        switch (channel)
        {
            case KernelChannel.Shell:
                _shell.Enqueue(new RequestContext(message, channel, _state.NextShellArrival()));
                break;
            case KernelChannel.Control:
                _control.Enqueue(new RequestContext(message, channel));
                break;
            case KernelChannel.Stdin:
                _stdin.OnMessage(message);
                break;
        }
    }

    public void Dispose()
    {
        StopAsync().Wait(TimeSpan.FromSeconds(5));
    }
}
