using System.Reflection;
using TsgbKit.Jupyter;
using TsgbKit.Native;

namespace TsgbKit.Interactive.Kernel;

/// <summary>
/// Loads libtorch (TorchSharp's native bridge and the CPU self-check that picks a backend, <see cref="TorchNative"/>)
/// the first time the kernel runs code that uses TorchSharp or Tsgb, not when the kernel starts: a notebook that never
/// touches them does not pay for libtorch. The kernel itself does not load the TorchSharp or Tsgb.Core assemblies at
/// start (imports and references are metadata for the compiler); the runtime loads them when a cell's code first
/// needs one of their types, and that load is the hook: libtorch is loaded then, before the cell's code runs. Tsgb.Core
/// loads libtorch on its own too (its module initializer), which covers the #!tsgb magics.
/// </summary>
public static class LazyTorch
{
    private static KernelLog? s_log;
    private static int s_installed;
    private static int s_started;
    private static readonly List<Action> s_onTsgbCore = [];
    private static bool s_tsgbCoreLoaded;
    private static Exception? s_failure;

    /// <summary>Why libtorch could not be loaded, once that was tried; null otherwise.</summary>
    public static Exception? Failure => s_failure;

    /// <summary>Watches assembly loads from now on (idempotent).</summary>
    public static void Install(KernelLog log)
    {
        s_log = log;
        if (Interlocked.Exchange(ref s_installed, 1) != 0) return;
        AppDomain.CurrentDomain.AssemblyLoad += (_, e) => OnLoaded(e.LoadedAssembly);
        foreach (var loaded in AppDomain.CurrentDomain.GetAssemblies()) OnLoaded(loaded);
    }

    /// <summary>Runs <paramref name="action"/> once Tsgb.Core is loaded (now if it is): its formatters, say.</summary>
    public static void WhenTsgbCoreLoads(Action action)
    {
        lock (s_onTsgbCore)
        {
            if (!s_tsgbCoreLoaded) { s_onTsgbCore.Add(action); return; }
        }
        action();
    }

    private static void OnLoaded(Assembly assembly)
    {
        switch (assembly.GetName().Name)
        {
            case "TorchSharp":
                StartupTimeline.Mark("TorchSharp assembly loaded: loading libtorch");
                EnsureLoaded();
                break;
            case "Tsgb.Core":
                StartupTimeline.Mark("Tsgb.Core assembly loaded");
                Action[] actions;
                lock (s_onTsgbCore)
                {
                    s_tsgbCoreLoaded = true;
                    actions = [.. s_onTsgbCore];
                    s_onTsgbCore.Clear();
                }
                foreach (var a in actions) a();
                break;
        }
    }

    /// <summary>Loads libtorch now (once); a failure is logged and kept, and TorchSharp reports it at its first call.</summary>
    public static void EnsureLoaded()
    {
        if (Interlocked.Exchange(ref s_started, 1) != 0) return;
        try
        {
            TorchNative.EnsureLoaded();
            s_log?.Info(TorchBackend.Summary);
            StartupTimeline.Mark("libtorch loaded");
        }
        catch (Exception e)
        {
            s_failure = e;
            s_log?.Error($"TorchSharp cannot be loaded: {e.Message}");
            try { Console.Error.WriteLine($"warning: TorchSharp is not available in this kernel: {e.GetBaseException().Message}"); }
            catch (Exception) { }
        }
    }
}
