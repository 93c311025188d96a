using System.Diagnostics;

namespace TsgbKit.Interactive.Kernel;

/// <summary>
/// Start-up milestones of the kernel on stderr, for benchmarks/kernel_startup.py: with TSGB_STARTUP_TIMELINE=1 each
/// <see cref="Mark"/> writes "[startup] +MS name", MS counted from the process start. Off (and free) otherwise.
/// </summary>
public static class StartupTimeline
{
    private static readonly TextWriter? Writer;
    private static readonly DateTime ProcessStart;

    static StartupTimeline()
    {
        if (Environment.GetEnvironmentVariable("TSGB_STARTUP_TIMELINE") != "1") return;
        // Captured before the interpreter routes Console.Error to the executing cell.
        Writer = Console.Error;
        try { ProcessStart = Process.GetCurrentProcess().StartTime.ToUniversalTime(); }
        catch (Exception) { ProcessStart = DateTime.UtcNow; }
        if (Environment.GetEnvironmentVariable("TSGB_STARTUP_ASSEMBLIES") == "1")
            AppDomain.CurrentDomain.AssemblyLoad += (_, e) => Mark("assembly " + e.LoadedAssembly.GetName().Name);
    }

    public static bool Enabled => Writer is not null;

    public static void Mark(string milestone)
    {
        if (Writer is null) return;
        var ms = (DateTime.UtcNow - ProcessStart).TotalMilliseconds;
        lock (Writer) Writer.WriteLine($"[startup] +{ms:0} {milestone} (thread {Environment.CurrentManagedThreadId})");
    }
}
