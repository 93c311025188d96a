using TsgbKit.Engine;
using TsgbKit.Models;
using TsgbKit.Rules;
using static TorchSharp.torch;

namespace TsgbKit.Methods;

/// <summary>A method whose map comes from the (possibly rectified) gradient at the input.</summary>
public abstract class InputGradientMethod(Composite rules, MapReduction reduction) : SaliencyMethod
{
    /// <summary>The rules applied during the backward pass (none for the plain gradient).</summary>
    public Composite Rules { get; } = rules;

    public MapReduction Reduction { get; } = reduction;

    public override bool Signed => Reduction == MapReduction.InputTimesGradient;

    // TorchRay blurs the |gradient| maps (gradient, deconvnet, guided backprop) before pointing
    public override bool GradientLike => Reduction == MapReduction.AbsMax;

    public override AttributionResult Attribute(Classifier model, Tensor inputs, long[] targets, bool statistics = false) =>
        Attribute(model, inputs, TargetSelection.Fixed(targets), statistics);

    internal override AttributionResult Attribute(Classifier model, Tensor inputs, TargetSelection targets, bool statistics)
    {
        using var result = Backprop.Run(model, inputs, targets, Rules, statistics);
        using var scope = NewDisposeScope();
        var maps = MapReductions.Apply(Reduction, result.Inputs, result.InputGradient);
        return new AttributionResult(maps.MoveToOuterDisposeScope(), result.Logits.clone().MoveToOuterDisposeScope(), result.Statistics)
            { Targets = result.Targets };
    }
}
