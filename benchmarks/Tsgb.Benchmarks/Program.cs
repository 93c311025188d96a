using System.Diagnostics;
using TsgbKit.Engine;
using TsgbKit.Models;
using TsgbKit.Rules;
using static TorchSharp.torch;

// TSGB's cost against a plain input gradient, the cost of batching targets, and what the fluent API adds to the
// engine's pass, on VGG16 at 224² with random weights. Measurements are interleaved (gradient, TSGB, fluent, …)
// so that all see the same machine load; the median of each series is reported.
var arguments = args.ToList();
int repeats = Option("--repeats", 7);
int threads = Option("--threads", Environment.ProcessorCount);
var architecture = arguments.SkipWhile(a => a != "--model").Skip(1).FirstOrDefault() ?? "vgg16";
set_num_threads(threads);

using var model = Zoo.Create(architecture);
var input = randn([1, 3, 224, 224], generator: new Generator(1));
long[] one = [207];
long[] targets8 = [207, 1, 2, 3, 4, 5, 6, 7];
var tsgb = Tsgb.Conv.And(Tsgb.Fc);

double Time(Action action)
{
    var watch = Stopwatch.StartNew();
    action();
    return watch.Elapsed.TotalMilliseconds;
}

void Pass(long[] targets, Composite? rules, bool statistics = false)
{
    using var result = Backprop.Run(model, input, targets, rules, statistics);
}

// the fluent calls end to end: request, pass, managed maps, scores; statistics are not read
void FluentOne() => model.Explain(input).For(207).With(tsgb);
void FluentEight() => model.Explain(input).For(207, 1, 2, 3, 4, 5, 6, 7).With(tsgb);
void FluentTopEight() => model.Explain(input).For(Tsgb.Top(8)).With(tsgb);
// the first read of the statistics: one more pass, with them
void FluentStatistics() => _ = model.Explain(input).For(207).With(tsgb).Statistics;

var series = new (string Name, Action Run)[]
{
    ("plain input gradient (Backprop.Run)", () => Pass(one, null)),
    ("TSGB, one target (Backprop.Run, no statistics)", () => Pass(one, tsgb)),
    ("TSGB, 8 targets of one image (Backprop.Run)", () => Pass(targets8, tsgb)),
    ("TSGB with layer statistics (Backprop.Run)", () => Pass(one, tsgb, statistics: true)),
    ("fluent TSGB, one target", FluentOne),
    ("fluent TSGB, 8 targets of one image", FluentEight),
    ("fluent TSGB, Top(8)", FluentTopEight),
    ("fluent TSGB, one target, then .Statistics", FluentStatistics),
};

// warm-up: allocator, kernels, autograd
foreach (var (_, run) in series) run();

var times = series.Select(_ => new List<double>()).ToArray();
for (int r = 0; r < repeats; r++)
    for (int s = 0; s < series.Length; s++)
        times[s].Add(Time(series[s].Run));

// the median is what a call costs under the machine's load; the minimum what it costs when it had the cores
double Median(int s) => times[s].Order().ElementAt(times[s].Count / 2);
double Min(int s) => times[s].Min();
Console.WriteLine($"model {architecture}, 224×224, batch 1, {threads} threads, {repeats} interleaved repeats");
Console.WriteLine($"{"",-48} {"median",9}    {"min",9}");
for (int s = 0; s < series.Length; s++)
    Console.WriteLine($"{series[s].Name,-48} {Median(s),9:0.0} ms {Min(s),9:0.0} ms");
void Ratio(string name, int numerator, int denominator, string goal) =>
    Console.WriteLine($"{name,-48} {Median(numerator) / Median(denominator),9:0.00}×  {Min(numerator) / Min(denominator),9:0.00}×   {goal}");
Ratio("TSGB ÷ plain gradient (Backprop.Run)", 1, 0, "(goal ≤ 1.0)");
Ratio("8 targets ÷ 1 target (Backprop.Run)", 2, 1, "");
Ratio("fluent 8 targets ÷ fluent 1 target", 5, 4, "(goal ≤ 2.5)");
Ratio("fluent 1 target ÷ Backprop.Run", 4, 1, "(goal ≤ 1.1)");

int Option(string name, int fallback)
{
    int at = arguments.IndexOf(name);
    return at >= 0 && at + 1 < arguments.Count && int.TryParse(arguments[at + 1], out var value) ? value : fallback;
}
