using System.Diagnostics;

namespace TsgbKit.Interactive.Kernel;

/// <summary>
/// Jupyter sets JPY_PARENT_PID for the kernels it launches. A frontend that dies without a shutdown_request would
/// otherwise leave the kernel running, holding libtorch and its models in memory, forever.
/// </summary>
internal static class ParentProcessWatch
{
    /// <summary>A token cancelled once the parent process is gone; never cancelled without JPY_PARENT_PID.</summary>
    public static CancellationToken Start(TimeSpan interval)
    {
        // On Windows the variable holds a handle, not a process id.
        if (OperatingSystem.IsWindows()) return CancellationToken.None;
        if (!int.TryParse(Environment.GetEnvironmentVariable("JPY_PARENT_PID"), out var pid) || pid <= 1) return CancellationToken.None;
        var gone = new CancellationTokenSource();
        var thread = new Thread(() =>
        {
            while (IsAlive(pid)) Thread.Sleep(interval);
            gone.Cancel();
        }) { IsBackground = true, Name = "kernel-parent-watch" };
        thread.Start();
        return gone.Token;
    }

    private static bool IsAlive(int pid)
    {
        try
        {
            using var process = Process.GetProcessById(pid);
            return !process.HasExited;
        }
        catch (Exception e) when (e is ArgumentException or InvalidOperationException)
        {
            return false;
        }
    }
}
