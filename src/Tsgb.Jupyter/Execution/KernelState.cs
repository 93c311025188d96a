namespace TsgbKit.Jupyter.Execution;

/// <summary>
/// State shared by the shell and control threads: the execution counter, the running cell's cancellation,
/// the stop_on_error abort mark and the shutdown request.
/// </summary>
internal sealed class KernelState
{
    private readonly object _gate = new();
    private CancellationTokenSource? _running;
    private long _lastShellArrival;
    private long _abortUpTo = -1;
    private int _executionCount;
    private volatile bool _shutdownRequested;

    public int ExecutionCount => Volatile.Read(ref _executionCount);

    /// <summary>Counts a stored execution and returns the new count.</summary>
    public int IncrementExecutionCount() => Interlocked.Increment(ref _executionCount);

    public void ResetExecutionCount() => Volatile.Write(ref _executionCount, 0);

    /// <summary>Sequence number for a shell request as it arrives (socket thread).</summary>
    public long NextShellArrival() => Interlocked.Increment(ref _lastShellArrival);

    /// <summary>stop_on_error: every execute_request that has arrived by now gets aborted instead of run.</summary>
    public void AbortExecutionsArrivedSoFar() => Interlocked.Exchange(ref _abortUpTo, Interlocked.Read(ref _lastShellArrival));

    public bool IsAborted(long arrival) => arrival <= Interlocked.Read(ref _abortUpTo);

    public CancellationTokenSource BeginExecution()
    {
        var cts = new CancellationTokenSource();
        lock (_gate) _running = cts;
        return cts;
    }

    public void EndExecution(CancellationTokenSource cts)
    {
        lock (_gate) if (ReferenceEquals(_running, cts)) _running = null;
        cts.Dispose();
    }

    /// <summary>Cancels the running cell, if any; true when there was one.</summary>
    public bool Interrupt()
    {
        lock (_gate)
        {
            if (_running is null) return false;
            try { _running.Cancel(); }
            catch (AggregateException) { } // a faulty cancellation callback of the interpreter must not kill control
            return true;
        }
    }

    public bool ShutdownRequested => _shutdownRequested;

    public void RequestShutdown() => _shutdownRequested = true;
}
