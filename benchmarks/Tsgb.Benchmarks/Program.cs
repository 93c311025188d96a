using System.Diagnostics;
using TsgbKit.Engine;
using TsgbKit.Models;
using TsgbKit.Rules;
using static TorchSharp.torch;

// TSGB's cost against a plain input gradient, and the cost of batching targets, on VGG16 at 224² with random
// weights. Measurements are interleaved (gradient, TSGB, gradient, …) so that both see the same machine load;
// the median of each series is reported.
var arguments = args.ToList();
int repeats = Option("--repeats", 7);
int threads = Option("--threads", Environment.ProcessorCount);
var architecture = arguments.SkipWhile(a => a != "--model").Skip(1).FirstOrDefault() ?? "vgg16";
set_num_threads(threads);

using var model = Zoo.Create(architecture);
var input = randn([1, 3, 224, 224], generator: new Generator(1));
var eight = input; // one image, eight targets: the engine shares the forward
long[] one = [207];
long[] targets8 = [207, 1, 2, 3, 4, 5, 6, 7];
var tsgb = Tsgb.Conv.And(Tsgb.Fc);

double Time(Tensor inputs, long[] targets, Composite? rules, bool statistics = false)
{
    var watch = Stopwatch.StartNew();
    using var result = Backprop.Run(model, inputs, targets, rules, statistics);
    return watch.Elapsed.TotalMilliseconds;
}

// warm-up: allocator, kernels, autograd
Time(input, one, null); Time(input, one, tsgb); Time(eight, targets8, tsgb);

var gradient = new List<double>();
var rectified = new List<double>();
var withStats = new List<double>();
var batched = new List<double>();
var explanation = new List<double>();
for (int r = 0; r < repeats; r++)
{
    gradient.Add(Time(input, one, null));
    rectified.Add(Time(input, one, tsgb));
    batched.Add(Time(eight, targets8, tsgb));
    withStats.Add(Time(input, one, tsgb, statistics: true));
    var watch = Stopwatch.StartNew();
    model.Explain(input).For(207).With(tsgb);
    explanation.Add(watch.Elapsed.TotalMilliseconds);
}

double Median(List<double> values) => values.Order().ElementAt(values.Count / 2);
Console.WriteLine($"model {architecture}, 224×224, batch 1, {threads} threads, {repeats} interleaved repeats (medians)");
Console.WriteLine($"plain input gradient          {Median(gradient),9:0.0} ms");
Console.WriteLine($"TSGB (Conv+FC), one target    {Median(rectified),9:0.0} ms");
Console.WriteLine($"TSGB, 8 targets in one batch  {Median(batched),9:0.0} ms");
Console.WriteLine($"TSGB with layer statistics    {Median(withStats),9:0.0} ms");
Console.WriteLine($"model.Explain(…).For(…).With(Tsgb.Conv.And(Tsgb.Fc)), end to end {Median(explanation),9:0.0} ms per explanation");
Console.WriteLine($"TSGB ÷ plain gradient         {Median(rectified) / Median(gradient),9:0.00}×   (goal ≤ 1.0)");
Console.WriteLine($"8 targets ÷ 1 target          {Median(batched) / Median(rectified),9:0.00}×   (goal ≤ 2.5)");

int Option(string name, int fallback)
{
    int at = arguments.IndexOf(name);
    return at >= 0 && at + 1 < arguments.Count && int.TryParse(arguments[at + 1], out var value) ? value : fallback;
}
