using System.Diagnostics;
using System.Reflection;
using System.Text;

namespace TsgbKit.Interactive.Tests.Support;

/// <summary>
/// The real kernel: `dotnet tsgb.dll kernel start CONNECTION_FILE` as Jupyter launches it, on loopback ports of
/// its own, with a connected <see cref="JupyterTestClient"/>.
/// </summary>
internal sealed class KernelProcess : IDisposable
{
    public static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(120);

    private readonly Process _process;
    private readonly StringBuilder _stderr = new();

    /// <param name="parentPid">JPY_PARENT_PID, as Jupyter sets it: the kernel stops when that process is gone (default: us)</param>
    public KernelProcess(string workingDirectory, int? parentPid = null)
    {
        var connection = KernelConnection.Create();
        var connectionFile = Path.Combine(workingDirectory, $"kernel-{Guid.NewGuid():N}.json");
        connection.Write(connectionFile);
        var info = new ProcessStartInfo(TsgbKit.Interactive.Kernel.KernelLauncher.DotnetHost(), [TsgbDll, "kernel", "start", connectionFile])
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            Environment = { ["JPY_PARENT_PID"] = (parentPid ?? Environment.ProcessId).ToString() },
        };
        Started = Stopwatch.StartNew();
        _process = Process.Start(info) ?? throw new InvalidOperationException("the kernel process did not start");
        _process.ErrorDataReceived += (_, e) => { lock (_stderr) _stderr.AppendLine(e.Data); };
        _process.OutputDataReceived += (_, _) => { };
        _process.BeginErrorReadLine();
        _process.BeginOutputReadLine();
        Client = new JupyterTestClient(connection);
    }

    /// <summary>The build output of the tsgb app (see the test project file).</summary>
    public static string TsgbDll { get; } = typeof(KernelProcess).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>()
        .Single(a => a.Key == "TsgbDll").Value!;

    /// <summary>Runs from the moment the process was started.</summary>
    public Stopwatch Started { get; }

    public JupyterTestClient Client { get; }

    /// <summary>The kernel's diagnostics so far (for failure messages).</summary>
    public string Stderr
    {
        get { lock (_stderr) return _stderr.ToString(); }
    }

    public bool WaitForExit(TimeSpan timeout) => _process.WaitForExit(timeout);

    public void Dispose()
    {
        try
        {
            if (!_process.HasExited) Client.Shutdown(TimeSpan.FromSeconds(5));
            if (!_process.WaitForExit(TimeSpan.FromSeconds(15))) _process.Kill(entireProcessTree: true);
        }
        finally
        {
            Client.Dispose();
            _process.Dispose();
        }
    }
}
