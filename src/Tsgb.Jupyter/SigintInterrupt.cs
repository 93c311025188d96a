using System.Runtime.InteropServices;

namespace TsgbKit.Jupyter;

/// <summary>
/// Keeps SIGINT from terminating the kernel. jupyter_client may still signal the process (some paths ignore
/// interrupt_mode "message"); a kernel must treat that as "interrupt the cell", never as "exit".
/// </summary>
public static class SigintInterrupt
{
    /// <summary>Calls <paramref name="onSigint"/> on every SIGINT and cancels the default termination. Dispose to restore.</summary>
    public static IDisposable Register(Action onSigint) =>
        PosixSignalRegistration.Create(PosixSignal.SIGINT, context =>
        {
            context.Cancel = true;
            onSigint();
        });
}
