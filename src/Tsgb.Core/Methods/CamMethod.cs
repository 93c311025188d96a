using TsgbKit.Engine;
using TsgbKit.Models;
using static TorchSharp.torch;

namespace TsgbKit.Methods;

/// <summary>A class-activation method: a map from one layer's activation A and plain gradient G, upsampled to the input.</summary>
public abstract class CamMethod(string? layer) : SaliencyMethod
{
    /// <summary>The layer read; null means the model's last convolutional block.</summary>
    public string? Layer { get; } = layer;

    public override bool ReadsLayer => true;

    public override string? LayerOn(Classifier model) => Layer ?? model.CamLayer;

    /// <summary>B×h×w map from A and G (both B×K×h×w).</summary>
    protected abstract Tensor Map(Tensor activation, Tensor gradient);

    public override AttributionResult Attribute(Classifier model, Tensor inputs, long[] targets, bool statistics = false) =>
        Attribute(model, inputs, TargetSelection.Fixed(targets), statistics);

    internal override AttributionResult Attribute(Classifier model, Tensor inputs, TargetSelection targets, bool statistics)
    {
        var layer = Layer ?? model.CamLayer;
        using var result = Backprop.Run(model, inputs, targets, rules: null, statistics, capture: [layer]);
        using var scope = NewDisposeScope();
        var (a, g) = result.Captured[layer];
        LayerMaps.RequireSpatial(layer, a);
        var maps = LayerMaps.Upsample(Map(a, g), inputs.shape[2], inputs.shape[3]);
        return new AttributionResult(maps.MoveToOuterDisposeScope(), result.Logits.clone().MoveToOuterDisposeScope(), result.Statistics)
            { Targets = result.Targets };
    }
}
