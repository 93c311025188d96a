using TsgbKit.Engine;
using TsgbKit.Models;
using static TorchSharp.torch;
using TsgbKit.Errors;

namespace TsgbKit.Methods;

/// <summary>
/// Integrated Gradients (Sundararajan et al. 2017) around any input-gradient method (plain gradient by default,
/// or a rectified one such as TSGB): map = Σ_c (x − x₀) ⊙ mean_i g(x₀ + α_i (x − x₀)) with a zero baseline and
/// the midpoint rule α_i = (i + ½)/steps. Path points run as batches; statistics are the mean of their tables.
/// </summary>
public sealed class IntegratedGradients(InputGradientMethod? inner = null, int steps = 32, int batchRows = 16) : SaliencyMethod
{
    public InputGradientMethod Inner { get; } = inner ?? new Gradient();
    public int Steps { get; } = steps > 0 ? steps : throw new TsgbInputException($"integrated gradients needs at least one step, not {steps}");

    public override string Name => Inner is Gradient ? "integrated-gradients" : $"integrated-gradients({Inner.Name})";
    public override string Description => $"Integrated Gradients of {Inner.Name} from a zero baseline, {Steps} steps.";

    public override bool Signed => true;

    public override AttributionResult Attribute(Classifier model, Tensor inputs, long[] targets, bool statistics = false)
    {
        using var scope = NewDisposeScope();
        inputs = RowsFor(inputs, targets);
        long rows = inputs.shape[0];
        int perBatch = Math.Max(1, batchRows / (int)rows);
        var baseline = zeros_like(inputs);
        var delta = inputs - baseline;

        Tensor? sum = null;
        var tables = Enumerable.Range(0, (int)rows).Select(_ => new List<LayerStatistics>()).ToArray();
        for (int done = 0; done < Steps; done += perBatch)
        {
            int count = Math.Min(perBatch, Steps - done);
            var alphas = (arange(done, done + count, dtype: ScalarType.Float32) + 0.5f) / Steps;
            var path = baseline.unsqueeze(0) + alphas.view(count, 1, 1, 1, 1) * delta.unsqueeze(0);
            var batch = path.view(count * rows, inputs.shape[1], inputs.shape[2], inputs.shape[3]);
            var repeatedTargets = Enumerable.Repeat(targets, count).SelectMany(t => t).ToArray();
            using var result = Backprop.Run(model, batch, repeatedTargets, Inner.Rules, statistics);
            // the batch's rows are point-major: row k·rows + r is path point k of input row r
            for (int k = 0; k < result.Statistics.Count; k++) tables[k % rows].Add(result.Statistics[k]);
            var folded = result.InputGradient.view(count, rows, inputs.shape[1], inputs.shape[2], inputs.shape[3]).sum([0]);
            sum = sum is null ? folded : sum + folded;
        }
        var maps = (delta * (sum! / Steps)).sum(1);
        var logits = model.Logits(inputs);
        return new AttributionResult(maps.MoveToOuterDisposeScope(), logits.MoveToOuterDisposeScope(), statistics ? tables.Select(LayerStatistics.Average).ToArray() : Array.Empty<LayerStatistics>()) { Targets = targets };
    }
}
