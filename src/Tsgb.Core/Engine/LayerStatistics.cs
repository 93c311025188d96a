using Microsoft.Data.Analysis;
using static TorchSharp.torch;

namespace TsgbKit.Engine;

/// <summary>
/// Gradient statistics of every recorded layer for one target, in forward order: what the rectification did to
/// the flow. Relevance Σ(g ⊙ y) lets conservation across layers be read off.
/// </summary>
public sealed class LayerStatistics
{
    public sealed record Row(string Layer, string Type, string Rule, string OutputShape, double Mean, double Std,
        double MeanAbs, double Min, double Max, double L2Norm, double FractionPositive, double FractionZero, double Relevance);

    public LayerStatistics(IReadOnlyList<Row> rows) => Rows = rows;

    public IReadOnlyList<Row> Rows { get; }

    /// <summary>The statistics as a DataFrame, one row per layer.</summary>
    public DataFrame ToDataFrame()
    {
        DoubleDataFrameColumn Column(string name, Func<Row, double> value) => new(name, Rows.Select(value));
        return new DataFrame(
            new StringDataFrameColumn("layer", Rows.Select(r => r.Layer)),
            new StringDataFrameColumn("type", Rows.Select(r => r.Type)),
            new StringDataFrameColumn("rule", Rows.Select(r => r.Rule)),
            new StringDataFrameColumn("output_shape", Rows.Select(r => r.OutputShape)),
            Column("mean", r => r.Mean),
            Column("std", r => r.Std),
            Column("mean_abs", r => r.MeanAbs),
            Column("min", r => r.Min),
            Column("max", r => r.Max),
            Column("l2_norm", r => r.L2Norm),
            Column("frac_positive", r => r.FractionPositive),
            Column("frac_zero", r => r.FractionZero),
            Column("relevance", r => r.Relevance));
    }

    /// <summary>
    /// The mean of several tables of the same layers (SmoothGrad's and Integrated Gradients' passes): every column is
    /// the mean of that column over the tables, min and max included (the mean per-pass minimum, not the minimum).
    /// </summary>
    public static LayerStatistics Average(IEnumerable<LayerStatistics> tables)
    {
        var list = tables.ToList();
        if (list.Count == 0) return new LayerStatistics([]);
        var first = list[0].Rows;
        if (list.Any(t => t.Rows.Count != first.Count || t.Rows.Where((r, i) => r.Layer != first[i].Layer).Any()))
            throw new Errors.TsgbStateException("tables of different layers cannot be averaged");
        double Mean(int i, Func<Row, double> value) => list.Average(t => value(t.Rows[i]));
        return new LayerStatistics(first.Select((r, i) => r with
        {
            Mean = Mean(i, x => x.Mean), Std = Mean(i, x => x.Std), MeanAbs = Mean(i, x => x.MeanAbs), Min = Mean(i, x => x.Min),
            Max = Mean(i, x => x.Max), L2Norm = Mean(i, x => x.L2Norm), FractionPositive = Mean(i, x => x.FractionPositive),
            FractionZero = Mean(i, x => x.FractionZero), Relevance = Mean(i, x => x.Relevance),
        }).ToList());
    }

    /// <summary>One table per batch row, from the records of a finished backward pass.</summary>
    internal static LayerStatistics[] From(IReadOnlyList<LayerRecord> records, int rows)
    {
        var tables = Enumerable.Range(0, rows).Select(_ => new List<Row>()).ToArray();
        using var scope = NewDisposeScope();
        foreach (var record in records.OrderBy(r => r.Order))
        {
            if (record.Output is null || record.Gradient is null) continue;
            // float32 passes with float64 accumulation: converting whole k×C×H×W gradients to float64 cost more than the
            // backward itself. Replayed outputs are one image broadcast to k rows: use that one row.
            var g = record.Gradient.detach().flatten(1);
            if (g.shape[0] != rows) continue;
            var y = record.Output.detach().OneRowIfShared().flatten(1);
            var count = (double)g.shape[1];
            var f64 = ScalarType.Float64;
            var sumSquares = g.square().sum([1], type: f64);
            var stacked = stack([
                g.sum([1], type: f64) / count, g.std(1, unbiased: false).to_type(f64), g.abs().sum([1], type: f64) / count,
                g.amin(1).to_type(f64), g.amax(1).to_type(f64), sumSquares.sqrt(),
                (g > 0).sum([1], type: f64) / count, (g == 0).sum([1], type: f64) / count, (g * y).sum([1], type: f64)], 1).cpu();
            var values = stacked.data<double>().ToArray();
            var shape = string.Join("×", record.Output.shape.Skip(1));
            for (int b = 0; b < rows; b++)
            {
                var v = values.AsSpan(b * 9, 9);
                tables[b].Add(new Row(record.Name, record.Type, record.Rule, shape, v[0], v[1], v[2], v[3], v[4], v[5], v[6], v[7], v[8]));
            }
        }
        return tables.Select(t => new LayerStatistics(t)).ToArray();
    }
}
