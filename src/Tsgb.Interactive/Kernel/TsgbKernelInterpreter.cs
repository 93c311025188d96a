using TsgbKit.Jupyter;
using TsgbKit.Scripting;

namespace TsgbKit.Interactive.Kernel;

/// <summary>
/// The C# interpreter as the kernel serves it: its own kernel_info (implementation and banner "tsgb-csharp"), known
/// before the interpreter exists, and requests that wait for the interpreter's creation and warm-up so that they
/// never race it.
/// </summary>
/// <param name="cellArrived">called when an execute request arrives (the warm-up then skips its own cell)</param>
/// <param name="cellFinished">called when a cell's execution ends (the warm-up's background work waits for the first)</param>
internal sealed class TsgbKernelInterpreter(Task<CSharpInterpreter> inner, Task warmUp, Action? cellArrived = null,
    Action? cellFinished = null) : IInterpreter
{
    public KernelInfo Info { get; } = CSharpInterpreter.DefaultInfo with
    {
        Implementation = KernelIdentity.Name,
        ImplementationVersion = KernelIdentity.Version,
        Banner = $"{KernelIdentity.Name} {KernelIdentity.Version}: {CSharpInterpreter.DefaultInfo.Banner}, TorchSharp " +
                 $"{TorchSharpVersion()}. `#!tsgb --help` lists the Tsgb commands.",
    };

    /// <summary>From the file: loading TorchSharp's assembly would load libtorch (<see cref="LazyTorch"/>).</summary>
    private static string? TorchSharpVersion()
    {
        try { return System.Reflection.AssemblyName.GetAssemblyName(Path.Combine(AppContext.BaseDirectory, "TorchSharp.dll")).Version?.ToString(3); }
        catch (Exception) { return "?"; }
    }

    public CSharpInterpreter Inner => inner.GetAwaiter().GetResult();

    private int _warmUpFailureShown;

    public async Task<ExecutionOutcome> ExecuteAsync(ExecutionRequest request, IExecutionOutput output, CancellationToken cancel)
    {
        cellArrived?.Invoke();
        try
        {
            var interpreter = await ReadyAsync().ConfigureAwait(false);
            if (warmUp.IsFaulted && Interlocked.Exchange(ref _warmUpFailureShown, 1) == 0)
                output.Stream("stderr", $"warning: the kernel's warm-up failed: {warmUp.Exception!.GetBaseException().Message}\n");
            return await interpreter.ExecuteAsync(request, output, cancel).ConfigureAwait(false);
        }
        finally
        {
            cellFinished?.Invoke();
        }
    }

    public async Task<ExpressionResult> EvaluateExpressionAsync(string expression, CancellationToken cancel)
    {
        var interpreter = await ReadyAsync().ConfigureAwait(false);
        return await interpreter.EvaluateExpressionAsync(expression, cancel).ConfigureAwait(false);
    }

    public CompletenessResult IsComplete(string code) => CSharpInterpreter.CheckComplete(code);

    public CompletionResult Complete(string code, int cursor) => ReadyAsync().GetAwaiter().GetResult().Complete(code, cursor);

    public InspectionResult? Inspect(string code, int cursor, int detailLevel) =>
        ReadyAsync().GetAwaiter().GetResult().Inspect(code, cursor, detailLevel);

    public void Reset()
    {
        // A kernel stopped before its interpreter exists has no state to drop.
        if (inner.IsCompletedSuccessfully) inner.Result.Reset();
    }

    /// <summary>The interpreter once warmed up; a failed warm-up only costs time: the request then pays the start-up itself.</summary>
    private async Task<CSharpInterpreter> ReadyAsync()
    {
        try { await warmUp.ConfigureAwait(false); }
        catch (Exception) { }
        return await inner.ConfigureAwait(false);
    }
}
