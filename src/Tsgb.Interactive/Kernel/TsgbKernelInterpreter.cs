using TsgbKit.Jupyter;
using TsgbKit.Scripting;

namespace TsgbKit.Interactive.Kernel;

/// <summary>
/// The C# interpreter as the kernel serves it: its own kernel_info (implementation and banner "tsgb-csharp"), and
/// requests that wait for the start-up warm-up so that they never race it.
/// </summary>
internal sealed class TsgbKernelInterpreter(CSharpInterpreter inner, Task warmUp) : IInterpreter
{
    public KernelInfo Info { get; } = inner.Info with
    {
        Implementation = KernelIdentity.Name,
        ImplementationVersion = KernelIdentity.Version,
        Banner = $"{KernelIdentity.Name} {KernelIdentity.Version}: {inner.Info.Banner}, TorchSharp " +
                 $"{typeof(TorchSharp.torch).Assembly.GetName().Version?.ToString(3)}. `#!tsgb --help` lists the Tsgb commands.",
    };

    public CSharpInterpreter Inner => inner;

    private int _warmUpFailureShown;

    public async Task<ExecutionOutcome> ExecuteAsync(ExecutionRequest request, IExecutionOutput output, CancellationToken cancel)
    {
        await WaitForWarmUpAsync().ConfigureAwait(false);
        // The kernel still runs plain C# when TorchSharp cannot load; say why once, where the user looks.
        if (warmUp.IsFaulted && Interlocked.Exchange(ref _warmUpFailureShown, 1) == 0)
            output.Stream("stderr", $"warning: TorchSharp is not available in this kernel: {warmUp.Exception!.GetBaseException().Message}\n");
        return await inner.ExecuteAsync(request, output, cancel).ConfigureAwait(false);
    }

    public async Task<ExpressionResult> EvaluateExpressionAsync(string expression, CancellationToken cancel)
    {
        await WaitForWarmUpAsync().ConfigureAwait(false);
        return await inner.EvaluateExpressionAsync(expression, cancel).ConfigureAwait(false);
    }

    public CompletenessResult IsComplete(string code) => inner.IsComplete(code);

    public CompletionResult Complete(string code, int cursor)
    {
        WaitForWarmUpAsync().GetAwaiter().GetResult();
        return inner.Complete(code, cursor);
    }

    public InspectionResult? Inspect(string code, int cursor, int detailLevel)
    {
        WaitForWarmUpAsync().GetAwaiter().GetResult();
        return inner.Inspect(code, cursor, detailLevel);
    }

    public void Reset() => inner.Reset();

    /// <summary>A failed warm-up only costs time: the request then pays the start-up itself.</summary>
    private async Task WaitForWarmUpAsync()
    {
        try { await warmUp.ConfigureAwait(false); }
        catch (Exception) { }
    }
}
