namespace TsgbKit.Jupyter;

/// <summary>Settings of <see cref="KernelServer"/> that the connection file does not carry.</summary>
public sealed record KernelServerOptions
{
    /// <summary>Where protocol diagnostics go; stderr by default.</summary>
    public KernelLog Log { get; init; } = KernelLog.Stderr;

    /// <summary>
    /// <see cref="KernelServer.RunAsync(string, IInterpreter, CancellationToken)"/> turns SIGINT into an interrupt of
    /// the running cell instead of letting it kill the process.
    /// </summary>
    public bool InterruptOnSigint { get; init; } = true;

    /// <summary>How long shutdown waits for a cell that ignores cancellation before the server returns anyway.</summary>
    public TimeSpan ShutdownGrace { get; init; } = TimeSpan.FromSeconds(2);
}
