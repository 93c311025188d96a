using System.Globalization;
using System.Text;

namespace TsgbKit.Evaluation.Datasets;

/// <summary>
/// One method's row: TorchRay's accuracies (all pairs, difficult column), energy in box, deletion and insertion AUCs and
/// class sensitivity (NaN when not asked), and the counts behind them.
/// </summary>
public sealed record PointingRow(string Method, double Pointing, double PointingDifficult, double EnergyInBox,
    double DeletionAuc, double InsertionAuc, double ClassSensitivity,
    int Pairs, int DifficultPairs, int Images, IReadOnlyList<double> ClassAccuracies);

/// <summary>
/// The table aggregated from part records, as TorchRay's <c>PointingGame</c> aggregates: per class, hits ÷ max(1, hits +
/// misses); the accuracy is the plain mean over all the dataset's classes (a class without trials counts 0, as in
/// TorchRay); the same on the difficult column (NaN when no pair is in it, i.e. no difficult subset). Energy in box,
/// deletion AUC and insertion AUC are plain means over the records that have them (every pair for energy; the pairs of
/// the first --causal-images images for deletion/insertion); class sensitivity is the plain mean over images (one value
/// per image × method), images with a constant map (NaN) left out, as the scene evaluation does. Records are summed in
/// image-index order, so any set of parts holding the same images gives the same numbers to the last bit.
/// </summary>
public static class PointingTable
{
    public static IReadOnlyList<PointingRow> Aggregate(IReadOnlyList<string> methods, int classCount, IEnumerable<PartBlock> blocks)
    {
        var ordered = blocks.OrderBy(b => b.Index).ToList();
        var rows = new List<PointingRow>();
        foreach (var method in methods)
        {
            var hits = new int[classCount];
            var trials = new int[classCount];
            var dHits = new int[classCount];
            var dTrials = new int[classCount];
            var energy = new RunningMean();
            var deletion = new RunningMean();
            var insertion = new RunningMean();
            var sensitivity = new RunningMean();
            foreach (var block in ordered)
                foreach (var r in block.Records)
                {
                    if (r.Method != method) continue;
                    trials[r.Class]++;
                    if (r.Hit) hits[r.Class]++;
                    if (r.InDifficult is not null)
                    {
                        dTrials[r.Class]++;
                        if (r.Hit) dHits[r.Class]++;
                    }
                    energy.Add(r.Energy);
                    deletion.Add(r.Deletion);
                    insertion.Add(r.Insertion);
                }
            foreach (var block in ordered)
                foreach (var s in block.Sensitivities)
                    if (s.Method == method) sensitivity.Add(s.Score);
            var accuracies = hits.Select((h, c) => (double)h / Math.Max(1, trials[c])).ToArray();
            double difficult = dTrials.Sum() == 0 ? double.NaN : dHits.Select((h, c) => (double)h / Math.Max(1, dTrials[c])).Average();
            rows.Add(new PointingRow(method, accuracies.Average(), difficult, energy.Mean, deletion.Mean, insertion.Mean, sensitivity.Mean,
                trials.Sum(), dTrials.Sum(), ordered.Count, accuracies));
        }
        return rows;
    }

    /// <summary>A sum and count in the order values come; NaN values (not computed) are skipped; no value: NaN.</summary>
    sealed class RunningMean
    {
        double _sum;
        int _count;
        public void Add(double value)
        {
            if (double.IsNaN(value)) return;
            _sum += value;
            _count++;
        }
        public double Mean => _count == 0 ? double.NaN : _sum / _count;
    }

    static string F(double v) => double.IsNaN(v) ? "" : v.ToString("0.000000", CultureInfo.InvariantCulture);

    /// <summary>
    /// CSV: method, pointing, pointing_difficult, energy_in_box, deletion_auc, insertion_auc, class_sensitivity, pairs,
    /// difficult_pairs, images (the metric columns in the scene table's order; empty when not computed).
    /// </summary>
    public static string ToCsv(IReadOnlyList<PointingRow> rows)
    {
        var sb = new StringBuilder("method,pointing,pointing_difficult,energy_in_box,deletion_auc,insertion_auc,class_sensitivity,pairs,difficult_pairs,images\n");
        foreach (var r in rows)
            sb.Append('"').Append(r.Method.Replace("\"", "\"\"")).Append("\",").Append(F(r.Pointing)).Append(',').Append(F(r.PointingDifficult))
              .Append(',').Append(F(r.EnergyInBox)).Append(',').Append(F(r.DeletionAuc)).Append(',').Append(F(r.InsertionAuc))
              .Append(',').Append(F(r.ClassSensitivity))
              .Append(',').Append(r.Pairs).Append(',').Append(r.DifficultPairs).Append(',').Append(r.Images).Append('\n');
        return sb.ToString();
    }

    /// <summary>A Markdown table with TorchRay's percentages.</summary>
    public static string ToMarkdown(IReadOnlyList<PointingRow> rows)
    {
        static string P(double v) => double.IsNaN(v) ? "—" : (100 * v).ToString("0.0", CultureInfo.InvariantCulture);
        static string D(double v) => double.IsNaN(v) ? "—" : v.ToString("0.000", CultureInfo.InvariantCulture);
        var sb = new StringBuilder("| method | pointing (all) | pointing (difficult) | energy in box | deletion AUC | insertion AUC | class sensitivity | pairs | difficult pairs | images |\n"
            + "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n");
        foreach (var r in rows)
            sb.Append($"| {r.Method} | {P(r.Pointing)} | {P(r.PointingDifficult)} | {D(r.EnergyInBox)} | {D(r.DeletionAuc)} | {D(r.InsertionAuc)} | {D(r.ClassSensitivity)} | {r.Pairs} | {r.DifficultPairs} | {r.Images} |\n");
        return sb.ToString();
    }
}

/// <summary>What <see cref="PartMerge.Merge"/> found besides the table.</summary>
public sealed record MergeResult(PartHeader Header, IReadOnlyList<PointingRow> Rows, IReadOnlyList<string> MissingImages, int MissingCount,
    IReadOnlyList<string> Notes);

/// <summary>
/// Aggregates any set of part files into one table: their headers must agree (all but the shard), an image complete in two
/// parts is an error naming both, and images of the dataset in no part are reported (an error unless allowed).
/// </summary>
public static class PartMerge
{
    public static MergeResult Merge(IReadOnlyList<string> files, bool allowMissing = false)
    {
        if (files.Count == 0) throw new Errors.TsgbInputException("give at least one part file");
        var parts = files.Select(PartFile.Read).ToList();
        var header = parts[0].Header;
        var notes = new List<string>();
        foreach (var p in parts.Skip(1))
            if (header.Difference(p.Header) is string d)
                throw new TsgbKit.Datasets.DatasetException(p.File, $"cannot be merged with {parts[0].File}: {d}");
        var seen = new Dictionary<int, PartBlock>();
        foreach (var p in parts)
        {
            if (p.IncompleteLines > 0) notes.Add($"{p.File}: {p.IncompleteLines} line(s) of an unfinished image ignored (resume that shard to complete it)");
            foreach (var b in p.Blocks)
            {
                if (seen.TryGetValue(b.Index, out var other))
                    throw new TsgbKit.Datasets.DatasetException(b.File, $"image {b.Image} (index {b.Index}) is also in {other.File}: duplicate results (each image must be in one part)");
                seen[b.Index] = b;
            }
        }
        var missing = Enumerable.Range(0, header.Images).Where(i => !seen.ContainsKey(i)).ToList();
        var missingNames = missing.Take(10).Select(i => $"#{i}").ToList();
        if (missing.Count > 0 && !allowMissing)
            throw new Errors.TsgbStateException($"{missing.Count} of {header.Images} images are in no part file (first: image index {string.Join(", ", missing.Take(10))}); run or resume the missing shards, or give --allow-missing");
        if (missing.Count > 0) notes.Add($"{missing.Count} of {header.Images} images are in no part file (first: image index {string.Join(", ", missing.Take(10))})");
        var rows = PointingTable.Aggregate(header.Methods, header.Classes.Count, seen.Values);
        return new MergeResult(header, rows, missingNames, missing.Count, notes);
    }
}
