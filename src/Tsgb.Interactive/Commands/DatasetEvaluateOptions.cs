using TsgbKit.Methods;
using System.CommandLine;
using System.Globalization;
using TsgbKit.Datasets;
using TsgbKit.Errors;
using TsgbKit.Evaluation.Datasets;

namespace TsgbKit.Interactive.Commands;

/// <summary>
/// `evaluate --dataset voc07:DIR|coco14:DIR|scenes …`: TorchRay's pointing game on a benchmark dataset, results appended
/// to a part file image by image (`--part`, `--resume`), one slice of the data with `--shard i/n`; `tsgb merge` joins the parts.
/// </summary>
internal sealed class DatasetEvaluateOptions
{
    public Option<string?> Dataset { get; } = new("--dataset") { Description = "benchmark data: voc07:DIR (VOC2007 folder), coco14:DIR (COCO 2014: annotations/ and val2014/), or scenes[:N]; without it, the synthetic-scene evaluation of every metric" };
    public Option<string?> Split { get; } = new("--split") { Description = "dataset split (voc07: test, coco14: val2014 by default)" };
    public Option<FileInfo?> Difficult { get; } = new("--difficult") { Description = "difficult-subset file: TorchRay's (id, then one 0/1 flag per class, tab-separated) or one image id per line" };
    public Option<FileInfo?> Part { get; } = new("--part") { Description = "append-only JSON Lines file of per-image results (default: OUT.part.jsonl, or evaluate[-shard-i-of-n].part.jsonl)" };
    public Option<bool> Resume { get; } = new("--resume") { Description = "continue the --part file: images already in it are skipped" };
    public Option<string> ShardOption { get; } = new("--shard") { Description = "evaluate only slice i of n (images whose index mod n is i), e.g. 0/4", DefaultValueFactory = _ => "0/1" };
    public Option<int> BatchImages { get; } = new("--batch-images") { Description = "images whose rows (image × class) share one pass of a method, when their input sizes agree", DefaultValueFactory = _ => 4 };
    public Option<int> MaxRows { get; } = new("--max-rows") { Description = "at most this many rows (image × class) in one pass", DefaultValueFactory = _ => 16 };
    public Option<int?> Limit { get; } = new("--limit") { Description = "only the first N images of the dataset" };
    public Option<int?> InputSize { get; } = new("--input-size") { Description = "resize the shorter side to this many pixels (voc07/coco14: 224, TorchRay's; scenes: native size)" };
    public Option<string?> Normalization { get; } = new("--normalization") { Description = "caffe (TorchRay's VOC/COCO models: RGB 0–255 minus the mean) or imagenet (voc07/coco14: caffe; scenes: imagenet)" };
    // opt-in: two more maps per image and method (the scene evaluation, without --dataset, always computes it)
    public Option<bool> ClassSensitivity { get; } = new("--class-sensitivity") { Description = "also class sensitivity per image and method: Spearman correlation of the maps of the most and least probable classes (two more maps per image)" };

    public IEnumerable<Option> All => [Dataset, Split, Difficult, Part, Resume, ShardOption, BatchImages, MaxRows, Limit, InputSize, Normalization, ClassSensitivity];

    public int Run(ParseResult parse, ICommandSurface surface, CommonOptions common, IReadOnlyList<string> methods, MethodSettings settings,
        int sceneCount, int sceneSeed, int causalImages, FileInfo? output)
    {
        var spec = parse.GetValue(Dataset)!;
        var shard = Shard.Parse(parse.GetValue(ShardOption)!);
        var dataset = DatasetSpec.Open(spec, parse.GetValue(Split), sceneCount, sceneSeed);
        try
        {
            var model = common.ResolveModel(parse, surface);
            var defaults = dataset.DefaultInput;
            var input = new BenchmarkInput(parse.GetValue(InputSize) ?? defaults.ShorterSide,
                parse.GetValue(Normalization) is string n ? BenchmarkInput.ParseNormalization(n) : defaults.Normalization);
            var difficult = parse.GetValue(Difficult) is FileInfo d ? DifficultSubset.Load(d.ToString(), dataset.Classes.Count) : null;
            string shardSuffix = shard.Count == 1 ? "" : $"-shard-{shard.Index}-of-{shard.Count}";
            var part = parse.GetValue(Part)?.ToString()
                ?? (output is not null ? Path.ChangeExtension(output.ToString(), null) + shardSuffix + ".part.jsonl" : $"evaluate{shardSuffix}.part.jsonl");
            var options = new DatasetEvaluationOptions
            {
                PartFile = part, Resume = parse.GetValue(Resume), Shard = shard, Limit = parse.GetValue(Limit),
                BatchImages = parse.GetValue(BatchImages), MaxRows = parse.GetValue(MaxRows), Input = input, Difficult = difficult,
                WeightsName = parse.GetValue(common.Weights) is FileInfo w ? Path.GetFileName(w.ToString()) : null,
                CausalImages = causalImages, ClassSensitivity = parse.GetValue(ClassSensitivity),
            };
            DatasetEvaluationResult result;
            using (var progress = surface.StartProgress($"evaluate {model.Architecture} on {dataset.Name} (shard {shard})"))
                result = DatasetEvaluation.Run(model, dataset, methods, options, new Progress<(double Fraction, string Detail)>(p => progress.Report(p.Fraction, p.Detail)), settings);
            var h = result.Header;
            surface.Out.WriteLine($"{h.Model} on {h.Dataset}: shard {shard}, {result.ImagesThisRun} images evaluated now, {result.ImagesSkipped} already in {part}; {input}; τ = {h.Tolerance.ToString("0.##", CultureInfo.InvariantCulture)} px");
            if (h.CausalImages > 0 || h.ClassSensitivity)
                surface.Out.WriteLine($"  also {string.Join(" and ", new[] { h.CausalImages > 0 ? $"deletion/insertion on images 0…{h.CausalImages - 1}" : null, h.ClassSensitivity ? "class sensitivity" : null }.OfType<string>())} (sigmoid probabilities; not in the maps/s below)");
            foreach (var (method, t) in result.Timing)
                if (t.Maps > 0)
                    surface.Out.WriteLine($"  {method}: {t.Maps} maps, {(t.Maps / Math.Max(1e-9, t.ExplainSeconds + t.ScoreSeconds)).ToString("0.00", CultureInfo.InvariantCulture)} maps/s ({(t.ExplainSeconds * 1000 / t.Maps).ToString("0.0", CultureInfo.InvariantCulture)} ms explain + {(t.ScoreSeconds * 1000 / t.Maps).ToString("0.0", CultureInfo.InvariantCulture)} ms pointing per map)");
            surface.Out.Write(PointingTable.ToMarkdown(result.Rows));
            if (output is not null) File.WriteAllText(output.ToString(), PointingTable.ToCsv(result.Rows));
            if (parse.GetValue(common.As) is string name) surface.Bind(name, result.Rows);
            return 0;
        }
        finally
        {
            (dataset as IDisposable)?.Dispose();
        }
    }
}
