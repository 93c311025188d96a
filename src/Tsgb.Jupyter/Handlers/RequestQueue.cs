using System.Collections.Concurrent;

namespace TsgbKit.Jupyter.Handlers;

/// <summary>
/// A dedicated thread that handles one socket's requests in arrival order (one for shell, one for control, so an
/// interrupt or shutdown on control is handled while a cell runs on shell).
/// </summary>
internal sealed class RequestQueue : IDisposable
{
    private readonly BlockingCollection<RequestContext> _pending = new();
    private readonly Thread _thread;
    private readonly RequestDispatcher _dispatcher;
    private readonly KernelLog _log;

    public RequestQueue(string name, RequestDispatcher dispatcher, KernelLog log)
    {
        _dispatcher = dispatcher;
        _log = log;
        // Background: a cell that ignores cancellation must not keep the process alive after shutdown.
        _thread = new Thread(Run) { IsBackground = true, Name = name };
    }

    public void Start() => _thread.Start();

    public void Enqueue(RequestContext context)
    {
        try { _pending.Add(context); }
        catch (InvalidOperationException) { _log.Warn($"{_thread.Name}: stopped, dropping {context.Request.MsgType}"); }
    }

    private void Run()
    {
        foreach (var context in _pending.GetConsumingEnumerable())
        {
            try { _dispatcher.Dispatch(context); }
            catch (Exception e) { _log.Error($"{_thread.Name}: {e}"); }
        }
    }

    /// <summary>
    /// Stops taking requests; waits briefly for the current one (it may be a cell that ignores interrupts).
    /// True when the thread has ended.
    /// </summary>
    public bool Stop(TimeSpan wait)
    {
        try { _pending.CompleteAdding(); }
        catch (ObjectDisposedException) { }
        if (!_thread.IsAlive) return true;
        return Thread.CurrentThread != _thread && _thread.Join(wait);
    }

    public void Dispose()
    {
        Stop(TimeSpan.FromSeconds(1));
    }
}
