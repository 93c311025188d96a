using System.Diagnostics;
using System.Globalization;
using TsgbKit.Datasets;
using TsgbKit.Evaluation.Datasets;
using TsgbKit.Labels;
using TsgbKit.Methods;
using TsgbKit.Models;
using TsgbKit.Synthetic;
using static TorchSharp.torch;

// Maps per second of `evaluate --dataset` (pointing game + energy in box, part file written) against the bare explain
// loop on the same images: per image, load + preprocess, one pass of the method over the rows (image × class present),
// maps copied out — nothing else. The two are interleaved (bare, evaluate, bare, …) so that both see the same machine
// load; medians are reported, of wall time and of this process's CPU time (user + system, all threads: the fairer
// measure on a machine shared with other work). Goal: the evaluation adds ≤ 10 % to the explain cost.
//   dotnet benchmarks/Tsgb.Benchmarks.Evaluate/bin/Release/net10.0/Tsgb.Benchmarks.Evaluate.dll --model scene-resnet --images 24 --repeats 3
//   … --model resnet50 --images 8   (random weights, 8 scene classes, scenes rendered at 224²)
var arguments = args.ToList();
string Text(string name, string fallback) => arguments.IndexOf(name) is int i and >= 0 && i + 1 < arguments.Count ? arguments[i + 1] : fallback;
int Number(string name, int fallback) => int.Parse(Text(name, fallback.ToString(CultureInfo.InvariantCulture)), CultureInfo.InvariantCulture);
var modelName = Text("--model", "scene-resnet");
int images = Number("--images", 24), repeats = Number("--repeats", 3), batchImages = Number("--batch-images", 1);
int threads = Number("--threads", Environment.ProcessorCount);
var methods = Text("--methods", "tsgb,gradcam,gradient").Split(',');
set_num_threads(threads);

Classifier model;
SceneOptions? options = null;
if (modelName.StartsWith("scene-")) model = Zoo.Load(modelName);
else
{
    manual_seed(1);
    model = Zoo.Create(modelName, new LabelSet(SceneClasses.Names, "scenes"));
    options = SceneOptions.Default with { Width = 224, Height = 224 };
}
var dataset = new SceneBenchmark(images, seed: 7, options);
var input = dataset.DefaultInput;
var folder = Path.Combine(Path.GetTempPath(), "tsgb-bench-evaluate-" + Environment.ProcessId);
Directory.CreateDirectory(folder);

int Bare(SaliencyMethod method)
{
    int maps = 0;
    foreach (var image in dataset.Images())
    {
        using var scope = NewDisposeScope();
        var x = input.ToTensor(image.Load());
        var targets = image.Regions.Select(r => (long)r.ClassIndex).ToArray();
        using var result = method.Attribute(model, x.expand(targets.Length, -1, -1, -1).contiguous(), targets); // rows as evaluate builds them
        _ = result.Maps.cpu().data<float>().ToArray();
        maps += targets.Length;
    }
    return maps;
}

int run = 0;
(int Maps, double ExplainSeconds, double ScoreSeconds) Evaluate(string method)
{
    var part = Path.Combine(folder, $"part-{run++}.jsonl");
    var result = DatasetEvaluation.Run(model, dataset, [method], new DatasetEvaluationOptions { PartFile = part, BatchImages = batchImages, WarmUp = false });
    File.Delete(part);
    return result.Timing[result.Timing.Keys.Single()];
}

Console.WriteLine($"{modelName}, {images} scenes at {(options ?? SceneOptions.Default).Width}², {threads} threads, --batch-images {batchImages}, medians of {repeats}");
Console.WriteLine("| method | maps | bare explain loop, maps/s (wall) | evaluate, maps/s (wall) | evaluate ÷ bare, wall time | evaluate ÷ bare, CPU time | share of evaluate's wall time spent pointing (resize, blur, argmax, energy) |");
Console.WriteLine("|---|---:|---:|---:|---:|---:|---:|");
var self = Process.GetCurrentProcess();
double Cpu() { self.Refresh(); return self.TotalProcessorTime.TotalSeconds; }
foreach (var name in methods)
{
    var method = MethodCatalog.Create(name);
    using (var warm = NewDisposeScope()) Bare(method); // kernels, allocator, JIT
    var bare = new List<double>();
    var evaluate = new List<double>();
    var bareCpu = new List<double>();
    var evaluateCpu = new List<double>();
    var scoring = new List<double>();
    int maps = 0;
    for (int r = 0; r < repeats; r++)
    {
        double cpu = Cpu();
        var watch = Stopwatch.StartNew();
        maps = Bare(method);
        bare.Add(watch.Elapsed.TotalSeconds);
        bareCpu.Add(Cpu() - cpu);
        cpu = Cpu();
        watch.Restart();
        var t = Evaluate(name);
        evaluate.Add(watch.Elapsed.TotalSeconds);
        evaluateCpu.Add(Cpu() - cpu);
        scoring.Add(t.ScoreSeconds / watch.Elapsed.TotalSeconds);
    }
    double Median(List<double> v) => v.Order().ElementAt(v.Count / 2);
    double b = Median(bare), e = Median(evaluate);
    Console.WriteLine($"| {name} | {maps} | {maps / b:0.00} | {maps / e:0.00} | {e / b:0.000} | {Median(evaluateCpu) / Median(bareCpu):0.000} | {100 * Median(scoring):0.0} % |");
}
Directory.Delete(folder, recursive: true);
