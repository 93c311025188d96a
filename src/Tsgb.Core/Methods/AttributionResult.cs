using TsgbKit.Engine;
using static TorchSharp.torch;

namespace TsgbKit.Methods;

/// <summary>A method's result for a batch: one map per row at input resolution, the logits, and statistics.</summary>
public sealed class AttributionResult(Tensor maps, Tensor logits, IReadOnlyList<LayerStatistics> statistics) : IDisposable
{
    /// <summary>B×H×W on the CPU.</summary>
    public Tensor Maps { get; } = maps;

    /// <summary>B×C on the CPU.</summary>
    public Tensor Logits { get; } = logits;

    /// <summary>One table per row; empty when statistics were not requested.</summary>
    public IReadOnlyList<LayerStatistics> Statistics { get; } = statistics;

    /// <summary>The class each row explains (empty where a method does not say).</summary>
    public long[] Targets { get; init; } = [];

    public void Dispose()
    {
        Maps.Dispose();
        Logits.Dispose();
    }
}
