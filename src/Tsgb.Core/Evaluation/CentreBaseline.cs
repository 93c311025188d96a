using TsgbKit.Methods;
using TsgbKit.Metrics;
using TsgbKit.Models;
using static TorchSharp.torch;

namespace TsgbKit.Evaluation;

/// <summary>
/// The map with no information: the same Gaussian centred on the image for every target
/// (<see cref="PointingGame.CenterMap"/>). Evaluated like any method, it shows what each metric gives for nothing.
/// Not in the method registry: it explains nothing.
/// </summary>
public sealed class CentreBaseline : SaliencyMethod
{
    public const string BaselineName = "centre baseline";

    public override string Name => BaselineName;

    public override string Description =>
        $"Centre baseline: a Gaussian at the image centre (σ = {PointingGame.CenterSigmaFraction:0.##} of the larger side), the same for every target.";

    // no pass through the model records anything
    public override bool SupportsStatistics => false;

    public override AttributionResult Attribute(Classifier model, Tensor inputs, long[] targets, bool statistics = false)
    {
        if (statistics) throw new Errors.TsgbStateException($"{Name}: it runs no backward pass, so it has no layer statistics");
        using var scope = NewDisposeScope();
        var map = PointingGame.CenterMap((int)inputs.shape[3], (int)inputs.shape[2]);
        var maps = map.unsqueeze(0).expand(targets.Length, -1, -1).contiguous();
        var logits = model.Logits(inputs);
        return new AttributionResult(maps.MoveToOuterDisposeScope(), logits.MoveToOuterDisposeScope(), []) { Targets = targets };
    }
}
