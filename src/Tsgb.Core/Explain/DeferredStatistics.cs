using TsgbKit.Engine;
using TsgbKit.Methods;
using TsgbKit.Models;
using static TorchSharp.torch;

namespace TsgbKit.Explain;

/// <summary>
/// The per-layer statistics of one fluent call, computed when first read: recording them costs the pass more
/// than the map itself and keeps the shared several-targets backward from running, and most calls never read
/// them. The first read runs the method again on the same image and targets with statistics on (one pass for
/// every explanation of a set) and keeps the tables; until then only a managed copy of the input is held, no
/// native tensor and no layer's output.
/// </summary>
internal sealed class DeferredStatistics
{
    private readonly object _gate = new();
    private readonly long[] _targets;
    private Classifier? _model;
    private SaliencyMethod? _method;
    private float[]? _input;
    private long[]? _shape;
    private IReadOnlyList<LayerStatistics>? _tables;

    /// <param name="input">the normalized image as the pass saw it (managed copy, 1×3×H×W)</param>
    /// <param name="targets">the classes explained, as the pass resolved them</param>
    public DeferredStatistics(Classifier model, SaliencyMethod method, float[] input, long[] shape, long[] targets)
    {
        _model = model;
        _method = method;
        _input = input;
        _shape = shape;
        _targets = targets;
    }

    /// <summary>The table of the <paramref name="row"/>-th target (empty where the method records none).</summary>
    public LayerStatistics For(int row)
    {
        var tables = Tables();
        return row < tables.Count ? tables[row] : new LayerStatistics([]);
    }

    private IReadOnlyList<LayerStatistics> Tables()
    {
        lock (_gate)
        {
            if (_tables is not null) return _tables;
            using (var scope = NewDisposeScope())
            {
                var input = tensor(_input!, _shape!);
                using var attribution = _method!.Attribute(_model!, input, _targets, statistics: true);
                _tables = attribution.Statistics.ToArray();
            }
            // what only the re-run needed can go now
            (_model, _method, _input, _shape) = (null, null, null, null);
            return _tables;
        }
    }
}
