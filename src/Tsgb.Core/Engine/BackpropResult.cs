using static TorchSharp.torch;

namespace TsgbKit.Engine;

/// <summary>What one rectified backward pass produced. Tensors are on the CPU and owned by the caller.</summary>
public sealed class BackpropResult : IDisposable
{
    /// <summary>The inputs the pass ran on (B×3×H×W).</summary>
    public required Tensor Inputs { get; init; }

    /// <summary>The (rectified) gradient of each row's target score at the input.</summary>
    public required Tensor InputGradient { get; init; }

    /// <summary>Logits of every row (B×C).</summary>
    public required Tensor Logits { get; init; }

    /// <summary>Output A and gradient G of each captured layer.</summary>
    public required IReadOnlyDictionary<string, (Tensor Activation, Tensor Gradient)> Captured { get; init; }

    /// <summary>Per-layer gradient statistics, one table per row; empty unless requested.</summary>
    public required IReadOnlyList<LayerStatistics> Statistics { get; init; }

    /// <summary>The class each row backpropagated.</summary>
    public long[] Targets { get; init; } = [];

    public void Dispose()
    {
        Inputs.Dispose();
        InputGradient.Dispose();
        Logits.Dispose();
        foreach (var (a, g) in Captured.Values) { a.Dispose(); g.Dispose(); }
    }
}
