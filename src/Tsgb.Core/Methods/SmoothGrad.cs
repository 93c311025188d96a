using TsgbKit.Models;
using static TorchSharp.torch;
using TsgbKit.Errors;

namespace TsgbKit.Methods;

/// <summary>
/// SmoothGrad (Smilkov et al. 2017) around any method: the mean of its maps over noisy copies of the input,
/// noise σ = <see cref="NoiseLevel"/> × (max − min) of each input. Noisy copies run as batches.
/// </summary>
public sealed class SmoothGrad(SaliencyMethod inner, int samples = 25, double noiseLevel = 0.15, int seed = 0, int batchRows = 16) : SaliencyMethod
{
    public SaliencyMethod Inner { get; } = inner;
    public int Samples { get; } = samples > 0 ? samples : throw new TsgbInputException($"SmoothGrad needs at least one sample, not {samples}");
    public double NoiseLevel { get; } = noiseLevel;

    public override string Name => Inner is Gradient ? "smoothgrad" : $"smoothgrad({Inner.Name})";
    public override string Description => $"SmoothGrad over {Samples} noisy copies (σ = {NoiseLevel:0.##} of the input range) of {Inner.Name}.";

    public override bool Signed => Inner.Signed;

    // statistics are the mean of the inner method's tables over the noisy copies
    public override bool SupportsStatistics => Inner.SupportsStatistics;

    public override AttributionResult Attribute(Classifier model, Tensor inputs, long[] targets, bool statistics = false)
    {
        if (statistics && !Inner.SupportsStatistics)
            throw new TsgbStateException($"{Name}: {Inner.Name} records no layer statistics, so SmoothGrad over it has none to average");
        using var scope = NewDisposeScope();
        inputs = RowsFor(inputs, targets);
        var generator = new Generator((ulong)seed);
        long rows = inputs.shape[0];
        var flat = inputs.flatten(1);
        var sigma = (NoiseLevel * (flat.amax(1) - flat.amin(1))).view(rows, 1, 1, 1);
        int perBatch = Math.Max(1, batchRows / (int)rows);

        Tensor? sum = null;
        var tables = Enumerable.Range(0, (int)rows).Select(_ => new List<Engine.LayerStatistics>()).ToArray();
        for (int done = 0; done < Samples; done += perBatch)
        {
            int count = Math.Min(perBatch, Samples - done);
            var shape = new[] { count * rows, inputs.shape[1], inputs.shape[2], inputs.shape[3] };
            var noise = randn(shape, generator: generator).to(inputs.device) * sigma.repeat(count, 1, 1, 1);
            var noisy = inputs.repeat(count, 1, 1, 1) + noise;
            var repeatedTargets = Enumerable.Repeat(targets, count).SelectMany(t => t).ToArray();
            using var part = Inner.Attribute(model, noisy, repeatedTargets, statistics);
            // the part's rows are copy-major: row k·rows + r is copy k of input row r
            for (int k = 0; k < part.Statistics.Count; k++) tables[k % rows].Add(part.Statistics[k]);
            var folded = part.Maps.view(count, rows, part.Maps.shape[1], part.Maps.shape[2]).sum([0]);
            sum = sum is null ? folded : sum + folded;
        }
        var maps = sum! / Samples;
        var logits = model.Logits(inputs);
        return new AttributionResult(maps.MoveToOuterDisposeScope(), logits.MoveToOuterDisposeScope(), statistics ? tables.Select(Engine.LayerStatistics.Average).ToArray() : Array.Empty<Engine.LayerStatistics>()) { Targets = targets };
    }
}
