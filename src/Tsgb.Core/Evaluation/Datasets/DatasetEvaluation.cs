using TsgbKit.Metrics;
using System.Diagnostics;
using TsgbKit.Datasets;
using TsgbKit.Errors;
using TsgbKit.Methods;
using TsgbKit.Models;
using TsgbKit.Synthetic;
using static TorchSharp.torch;

namespace TsgbKit.Evaluation.Datasets;

/// <summary>Settings of a dataset evaluation.</summary>
public sealed record DatasetEvaluationOptions
{
    /// <summary>The part file results are appended to (required).</summary>
    public required string PartFile { get; init; }
    /// <summary>Continue an existing part file (its header must match).</summary>
    public bool Resume { get; init; }
    public Shard Shard { get; init; } = Shard.All;
    /// <summary>Only the first N images of the dataset (null: all).</summary>
    public int? Limit { get; init; }
    /// <summary>Images whose rows share a pass (when their input sizes agree).</summary>
    public int BatchImages { get; init; } = 4;
    /// <summary>At most this many rows (image × class) in one pass.</summary>
    public int MaxRows { get; init; } = 16;
    /// <summary>Preprocessing (null: the dataset's default).</summary>
    public BenchmarkInput? Input { get; init; }
    /// <summary>TorchRay-format or plain-id difficult subset (null: the dataset's own rule, if it has one).</summary>
    public DifficultSubset? Difficult { get; init; }
    /// <summary>One untimed row per method before the timed work (JIT, native set-up); a benchmark that warmed up already turns it off.</summary>
    public bool WarmUp { get; init; } = true;
    /// <summary>Weights file as named by the user (recorded in the header).</summary>
    public string? WeightsName { get; init; }
    /// <summary>
    /// Deletion and insertion for every trial of the images whose dataset index is below N (0: none). An index, not a
    /// count of this shard's images, so that shards together compute what one run computes.
    /// </summary>
    public int CausalImages { get; init; }
    /// <summary>Class sensitivity per image and method (two more maps per image and method).</summary>
    public bool ClassSensitivity { get; init; }
    /// <summary>Perturbed images per forward pass in deletion and insertion (the scene evaluation's default).</summary>
    public int CausalBatchSize { get; init; } = 56;
}

/// <summary>What one run did: the table of the whole part file, and this run's speed.</summary>
public sealed record DatasetEvaluationResult(IReadOnlyList<PointingRow> Rows, PartHeader Header, int ImagesThisRun, int ImagesSkipped,
    IReadOnlyDictionary<string, (int Maps, double ExplainSeconds, double ScoreSeconds)> Timing);

/// <summary>
/// The pointing game (all pairs and the difficult column) and energy in box on a benchmark dataset, for every method and
/// the centre baseline, by TorchRay's protocol (<see cref="MapPointing"/>); deletion, insertion and class sensitivity when
/// asked (<see cref="AskedMetrics"/>). Every class present is a trial, except classes
/// whose objects are all PASCAL-difficult. Rows (image × class) of several images of the same input size share one pass
/// of a method (each row its own target). Results go to an append-only part file, one image at a time; the returned table
/// is the aggregation of that file.
/// </summary>
public static class DatasetEvaluation
{
    public const string CenterBaseline = CentreBaseline.BaselineName;

    public static PartHeader Header(Classifier model, IAnnotatedDataset dataset, IReadOnlyList<string> methods, DatasetEvaluationOptions options)
    {
        var input = options.Input ?? dataset.DefaultInput;
        int images = Math.Min(dataset.Count, options.Limit ?? int.MaxValue);
        if (options.CausalImages < 0) throw new TsgbInputException($"--causal-images must be 0 or more, not {options.CausalImages}");
        // beyond the evaluated images N changes nothing: recorded as what is computed, so equal runs have equal headers
        return new PartHeader(dataset.Name, images, dataset.Classes, model.Architecture, options.WeightsName,
            methods.Prepend(CenterBaseline).ToArray(), input.ToString(), dataset.Tolerance,
            options.Difficult is { } d ? Path.GetFileName(d.File) : null, options.Shard.ToString(),
            Math.Min(options.CausalImages, images), options.ClassSensitivity);
    }

    public static DatasetEvaluationResult Run(Classifier model, IAnnotatedDataset dataset, IReadOnlyList<string> methodNames,
        DatasetEvaluationOptions options, IProgress<(double Fraction, string Detail)>? progress = null, MethodSettings? settings = null)
    {
        if (model.Labels.Count != dataset.Classes.Count)
            throw new TsgbInputException($"the model has {model.Labels.Count} classes but {dataset.Name} has {dataset.Classes.Count}: give weights fine-tuned on its classes (and --labels {dataset.Name.Split(':')[0]})");
        if (options.BatchImages < 1) throw new TsgbInputException("--batch-images must be at least 1");
        if (options.CausalBatchSize < 1) throw new TsgbInputException("the deletion/insertion batch size must be at least 1");
        var methods = MethodCatalog.CreateEach(methodNames, settings).ToList();
        if (methods.GroupBy(m => m.Name).FirstOrDefault(g => g.Count() > 1) is { } twice)
            throw new TsgbInputException($"--methods names {twice.Key} twice");
        var header = Header(model, dataset, methods.Select(m => m.Name).ToArray(), options);
        var input = options.Input ?? dataset.DefaultInput;
        var timing = methods.ToDictionary(m => m.Name, _ => (Maps: 0, Explain: 0.0, Score: 0.0));
        var methodOrder = header.Methods.Select((name, position) => (name, position)).ToDictionary(p => p.name, p => p.position);
        var asked = new AskedMetrics(model, header.CausalImages, header.ClassSensitivity, options.CausalBatchSize, options.MaxRows);
        var centre = new CentreBaseline();
        int processed = 0, skipped = 0;
        using (var writer = PartWriter.Open(options.PartFile, header, options.Resume))
        {
            int total = Enumerable.Range(0, header.Images).Count(options.Shard.Contains);
            skipped = writer.Done.Count;
            var selected = dataset.Images(i => i < header.Images && options.Shard.Contains(i) && !writer.Done.Contains(i));
            bool warmed = !options.WarmUp;
            foreach (var batch in Batches(selected, options.BatchImages, input))
            {
                using var scope = NewDisposeScope();
                if (!warmed)
                {
                    // the first call of a method pays for JIT and native set-up: one untimed row per method
                    foreach (var m in methods)
                        if (batch.Rows.Count > 0)
                            using (m.Attribute(model, batch.Inputs[batch.Rows[0].Item], [batch.Rows[0].Region.ClassIndex])) { }
                    warmed = true;
                }
                var records = batch.Images.Select(_ => new List<PartRecord>()).ToArray();
                var sensitivities = batch.Images.Select(_ => new List<PartSensitivity>()).ToArray();
                var extremes = asked.ClassSensitivity ? asked.Extremes(batch.Inputs) : null;
                void AddSensitivities(SaliencyMethod method)
                {
                    if (extremes is null) return;
                    var scores = asked.Sensitivities(method, batch.Images, batch.Inputs, extremes);
                    for (int i = 0; i < scores.Length; i++) sensitivities[i].Add(scores[i]);
                }
                // centre baseline: TorchRay's point (W/2, H/2) for the hit; its map (CentreBaseline's Gaussian) for the
                // asked metrics. No energy: parts written before it had none, and a resumed run must not mix the two.
                foreach (var (item, region) in batch.Rows)
                {
                    var image = batch.Images[item];
                    var point = MapPointing.Centre(image.Width, image.Height);
                    var causal = NotAsked;
                    if (asked.IsCausal(image.Index))
                        using (var attribution = centre.Attribute(model, batch.Inputs[item], [region.ClassIndex]))
                            causal = asked.DeletionInsertion(batch.Inputs[item], attribution.Maps[0], region.ClassIndex);
                    records[item].Add(Record(image, CenterBaseline, region, MapPointing.IsHit(batch.Masks[item][region.ClassIndex], point, dataset.Tolerance),
                        options.Difficult, double.NaN, causal));
                }
                AddSensitivities(centre);
                foreach (var method in methods)
                {
                    bool blur = method.GradientLike;
                    var watch = Stopwatch.StartNew();
                    double explain = 0, causalSeconds = 0;
                    foreach (var chunk in batch.Rows.Chunk(options.MaxRows))
                    {
                        var start = watch.Elapsed.TotalSeconds;
                        Tensor maps;
                        using (var rowInputs = cat(chunk.Select(r => batch.Inputs[r.Item]).ToArray(), 0))
                        using (var attribution = method.Attribute(model, rowInputs, chunk.Select(r => (long)r.Region.ClassIndex).ToArray()))
                            maps = attribution.Maps.detach().cpu().clone();
                        explain += watch.Elapsed.TotalSeconds - start;
                        // the rows of one image together: one resize, one blur, one argmax
                        foreach (var group in Enumerable.Range(0, chunk.Length).GroupBy(k => chunk[k].Item))
                        {
                            int item = group.Key;
                            var image = batch.Images[item];
                            var members = group.ToArray();
                            using var rowScope = NewDisposeScope();
                            var ofImage = maps.index_select(0, tensor(members.Select(k => (long)k).ToArray()));
                            var resized = MapPointing.ToImageResolution(ofImage, image.Width, image.Height).contiguous();
                            var values = resized.data<float>().ToArray(); // read once: for the points and the energy
                            var points = MapPointing.Points(values, members.Length, image.Height, image.Width, blur);
                            int plane = image.Width * image.Height;
                            for (int j = 0; j < members.Length; j++)
                            {
                                var region = chunk[members[j]].Region;
                                var boxes = region.BoxMask(image.Width, image.Height);
                                var causal = NotAsked;
                                if (asked.IsCausal(image.Index))
                                {
                                    // the method's own map at input resolution (not resized or blurred), as the scenes use it
                                    var causalStart = watch.Elapsed.TotalSeconds;
                                    causal = asked.DeletionInsertion(batch.Inputs[item], maps[members[j]], region.ClassIndex);
                                    causalSeconds += watch.Elapsed.TotalSeconds - causalStart;
                                }
                                records[item].Add(Record(image, method.Name, region,
                                    MapPointing.IsHit(batch.Masks[item][region.ClassIndex], points[j], dataset.Tolerance), options.Difficult,
                                    EnergyPointingGame.Score(values.AsSpan(j * plane, plane), boxes), causal));
                            }
                        }
                        maps.Dispose();
                    }
                    watch.Stop();
                    // the timing is the pointing game's: deletion/insertion and class sensitivity are left out of it
                    var t = timing[method.Name];
                    timing[method.Name] = (t.Maps + batch.Rows.Count, t.Explain + explain, t.Score + watch.Elapsed.TotalSeconds - explain - causalSeconds);
                    AddSensitivities(method);
                }
                for (int i = 0; i < batch.Images.Count; i++)
                {
                    // one line per (class, method), classes in ascending order, methods in the header's order
                    var ordered = records[i].OrderBy(r => r.Class).ThenBy(r => methodOrder[r.Method]).ToList();
                    writer.WriteImage(batch.Images[i].Index, batch.Images[i].Id, ordered, sensitivities[i]);
                    processed++;
                    progress?.Report(((double)(processed + skipped) / Math.Max(1, total), $"image {batch.Images[i].Id} ({processed + skipped}/{total})"));
                }
                foreach (var t in batch.Inputs) t.Dispose();
            }
        }
        var content = PartFile.Read(options.PartFile);
        var rows = PointingTable.Aggregate(header.Methods, header.Classes.Count, content.Blocks);
        return new DatasetEvaluationResult(rows, header, processed, skipped, timing.ToDictionary(kv => kv.Key, kv => (kv.Value.Maps, kv.Value.Explain, kv.Value.Score)));
    }

    static readonly (double Deletion, double Insertion) NotAsked = (double.NaN, double.NaN);

    static PartRecord Record(AnnotatedImage image, string method, ClassRegion region, bool hit, DifficultSubset? difficult, double energy,
        (double Deletion, double Insertion) causal)
    {
        bool inDifficult = region.InDifficultSubset ?? (difficult is not null && difficult.Contains(image.Id, region.ClassIndex));
        return new PartRecord(image.Index, image.Id, method, region.ClassIndex, hit, inDifficult ? hit : null, energy, causal.Deletion, causal.Insertion);
    }

    sealed record Batch(IReadOnlyList<AnnotatedImage> Images, Tensor[] Inputs, Dictionary<int, Mask>[] Masks, IReadOnlyList<(int Item, ClassRegion Region)> Rows);

    /// <summary>Consecutive images of one input size, up to <paramref name="size"/>, with their inputs, region masks and trial rows.</summary>
    static IEnumerable<Batch> Batches(IEnumerable<AnnotatedImage> images, int size, BenchmarkInput input)
    {
        var pending = new List<(AnnotatedImage Image, Tensor Input)>();
        (int, int)? pendingSize = null;
        Batch Make()
        {
            var list = pending.ToList();
            pending.Clear();
            var masks = list.Select(p => p.Image.Regions.ToDictionary(r => r.ClassIndex, r => r.RegionMask(p.Image.Width, p.Image.Height))).ToArray();
            var rows = list.SelectMany((p, i) => p.Image.Regions.Where(r => !r.Difficult).Select(r => (i, r))).ToList();
            return new Batch(list.Select(p => p.Image).ToList(), list.Select(p => p.Input).ToArray(), masks, rows);
        }
        foreach (var image in images)
        {
            var s = input.InputSize(image.Width, image.Height);
            if (pending.Count > 0 && (pendingSize != s || pending.Count >= size)) yield return Make();
            Tensor tensor;
            using (var scope = NewDisposeScope()) tensor = input.ToTensor(image.Load()).MoveToOuterDisposeScope();
            pending.Add((image, tensor));
            pendingSize = s;
        }
        if (pending.Count > 0) yield return Make();
    }
}
