using TsgbKit.Interactive.Notebook;
using TsgbKit.Jupyter;
using TsgbKit.Jupyter.Connection;
using TsgbKit.Native;
using TsgbKit.Scripting;

namespace TsgbKit.Interactive.Kernel;

/// <summary>
/// The C# (Tsgb) kernel: the Roslyn interpreter with Tsgb's imports, formatters and the <c>#!tsgb</c> magic,
/// served over the Jupyter protocol. TorchSharp's native library is loaded (and the first compile paid) by a
/// warm-up that starts at once and that every execute, complete and inspect request waits for.
/// </summary>
public sealed class KernelHost : IDisposable
{
    private readonly TsgbKernelInterpreter _kernel;

    /// <param name="log">kernel diagnostics; not the console, which the interpreter routes to the executing cell</param>
    public KernelHost(KernelLog log)
    {
        Log = log;
        Interpreter = new CSharpInterpreter(new CSharpInterpreterOptions
        {
            Usings = KernelEnvironment.Usings.ToList(),
            References = KernelEnvironment.References.ToList(),
        });
        TsgbFormatters.Register();
        Surface = new NotebookSurface();
        Interpreter.Magics.Register(TsgbMagic.Create(Surface));
        WarmUp = Task.Run(WarmUpAsync);
        _kernel = new TsgbKernelInterpreter(Interpreter, WarmUp);
    }

    public KernelLog Log { get; }

    public CSharpInterpreter Interpreter { get; }

    /// <summary>Where `#!tsgb` commands show their results; its session lives as long as the kernel.</summary>
    public NotebookSurface Surface { get; }

    /// <summary>What the protocol layer serves.</summary>
    public IInterpreter Kernel => _kernel;

    /// <summary>Completes when TorchSharp is loaded and the first compile is paid; faults when TorchSharp cannot load.</summary>
    public Task WarmUp { get; }

    /// <summary>`tsgb kernel start CONNECTION_FILE`: serves until shutdown_request.</summary>
    public static async Task RunAsync(string connectionFile, CancellationToken cancel = default)
    {
        // Captured before the interpreter routes Console.Error to the executing cell.
        var log = new KernelLog(Console.Error);
        var connection = ConnectionInfo.Load(connectionFile);
        var parentGone = ParentProcessWatch.Start(TimeSpan.FromSeconds(2));
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancel, parentGone);
        using var onParentGone = parentGone.Register(() => log.Warn("the process that started the kernel is gone: stopping"));
        using var host = new KernelHost(log);
        await KernelServer.RunAsync(connection, host.Kernel, new KernelServerOptions { Log = log }, stop.Token).ConfigureAwait(false);
    }

    private async Task WarmUpAsync()
    {
        var started = DateTime.UtcNow;
        try
        {
            TorchNative.EnsureLoaded();
            TorchSharp.torch.zeros(1).Dispose(); // loads libtorch itself, not only the bridge
            Log.Info(TorchBackend.Summary);
        }
        catch (Exception e)
        {
            Log.Error($"TorchSharp cannot be loaded: {e.Message}");
            throw;
        }
        await Interpreter.WarmUpAsync().ConfigureAwait(false);
        // One silent cell with the kernel's imports: the first user cell then finds Roslyn's emit path warm.
        await Interpreter.ExecuteAsync(new ExecutionRequest("randn(1).shape.Length", Silent: true, StoreHistory: false,
            AllowStdin: false, ExecutionCount: 0), DiscardedOutput.Instance, CancellationToken.None).ConfigureAwait(false);
        Log.Info($"warm-up done in {(DateTime.UtcNow - started).TotalSeconds:0.0} s");
    }

    public void Dispose() => Interpreter.Dispose();
}
