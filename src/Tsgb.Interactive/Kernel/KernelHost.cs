using TsgbKit.Interactive.Notebook;
using TsgbKit.Jupyter;
using TsgbKit.Jupyter.Connection;
using TsgbKit.Scripting;

namespace TsgbKit.Interactive.Kernel;

/// <summary>
/// The C# (Tsgb) kernel: the Roslyn interpreter with Tsgb's imports, formatters and the <c>#!tsgb</c> magic,
/// served over the Jupyter protocol. The server answers kernel_info at once; the interpreter is created and Roslyn
/// warmed up (a throwaway submission) in the background, and execute, complete and inspect requests wait for that.
/// libtorch is loaded on first use by a cell (<see cref="LazyTorch"/>), never at start.
/// </summary>
public sealed class KernelHost : IDisposable
{
    private readonly Task<CSharpInterpreter> _interpreter;
    private readonly TsgbKernelInterpreter _kernel;
    private volatile bool _cellArrived;
    private readonly TaskCompletionSource _firstCellDone = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <param name="log">kernel diagnostics; not the console, which the interpreter routes to the executing cell</param>
    public KernelHost(KernelLog log)
    {
        Log = log;
        LazyTorch.Install(log);
        Surface = new NotebookSurface();
        _interpreter = Task.Run(CreateInterpreter);
        WarmUp = WarmUpAsync();
        _kernel = new TsgbKernelInterpreter(_interpreter, WarmUp, () => _cellArrived = true, () => _firstCellDone.TrySetResult());
    }

    public KernelLog Log { get; }

    /// <summary>The interpreter (waits for its creation, which starts with the host).</summary>
    public CSharpInterpreter Interpreter => _interpreter.GetAwaiter().GetResult();

    /// <summary>Where `#!tsgb` commands show their results; its session lives as long as the kernel.</summary>
    public NotebookSurface Surface { get; }

    /// <summary>What the protocol layer serves.</summary>
    public IInterpreter Kernel => _kernel;

    /// <summary>Completes when the interpreter exists and Roslyn's first compile is paid.</summary>
    public Task WarmUp { get; }

    /// <summary>`tsgb kernel start CONNECTION_FILE`: serves until shutdown_request.</summary>
    public static async Task RunAsync(string connectionFile, CancellationToken cancel = default)
    {
        StartupTimeline.Mark("kernel start");
        // Captured before the interpreter routes Console.Error to the executing cell.
        var log = new KernelLog(Console.Error);
        var connection = ConnectionInfo.Load(connectionFile);
        var parentGone = ParentProcessWatch.Start(TimeSpan.FromSeconds(2));
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancel, parentGone);
        using var onParentGone = parentGone.Register(() => log.Warn("the process that started the kernel is gone: stopping"));
        using var host = new KernelHost(log);
        StartupTimeline.Mark("host created, server starting");
        await KernelServer.RunAsync(connection, host.Kernel, new KernelServerOptions { Log = log }, stop.Token).ConfigureAwait(false);
    }

    private CSharpInterpreter CreateInterpreter()
    {
        StartupTimeline.Mark("interpreter: creating");
        var interpreter = new CSharpInterpreter(new CSharpInterpreterOptions
        {
            Usings = KernelEnvironment.Usings.ToList(),
            ReferencePaths = KernelEnvironment.ReferencePaths.ToList(),
        });
        // Tsgb's formatters name Tsgb.Core's types: registered when a cell first loads them, not at start.
        LazyTorch.WhenTsgbCoreLoads(TsgbFormatters.Register);
        interpreter.Magics.Register(TsgbMagic.Create(Surface));
        StartupTimeline.Mark("interpreter: created");
        return interpreter;
    }

    private async Task WarmUpAsync()
    {
        var started = DateTime.UtcNow;
        var interpreter = await _interpreter.ConfigureAwait(false);
        await interpreter.WarmUpAsync(completion: false).ConfigureAwait(false);
        StartupTimeline.Mark("warm-up: initial submission done");
        // One silent cell with the kernel's imports and no use of TorchSharp, unless a cell is already waiting (it
        // warms the same path): the first user cell then finds Roslyn's binder and emit path warm, and libtorch stays
        // unloaded until a cell uses it.
        if (!_cellArrived)
        {
            await interpreter.ExecuteAsync(new ExecutionRequest("1 + 1", Silent: true, StoreHistory: false,
                AllowStdin: false, ExecutionCount: 0), DiscardedOutput.Instance, CancellationToken.None).ConfigureAwait(false);
        }
        StartupTimeline.Mark("warm-up: done");
        Log.Info($"warm-up done in {(DateTime.UtcNow - started).TotalSeconds:0.0} s");
        // Completion's first use (its own binder paths) after the first cells can run. A cell that came during the
        // warm-up runs first: on two cores, warming completion beside it made its result come later.
        _ = Task.Run(async () =>
        {
            if (_cellArrived) await _firstCellDone.Task.ConfigureAwait(false);
            try { interpreter.Complete("Sys", 3); } catch (Exception) { }
            StartupTimeline.Mark("warm-up: completion done");
        });
    }

    public void Dispose()
    {
        if (_interpreter.IsCompletedSuccessfully) _interpreter.Result.Dispose();
    }
}
