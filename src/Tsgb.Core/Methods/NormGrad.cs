using TsgbKit.Engine;
using TsgbKit.Models;
using static TorchSharp.torch;
using TsgbKit.Errors;

namespace TsgbKit.Methods;

/// <summary>
/// NormGrad ("There and Back Again", Rebuffi et al. CVPR 2020): a virtual 1×1 identity convolution after a layer,
/// whose weight gradient's norm per position u is ‖g_u‖₂·‖x_u‖₂. The selective variant is ‖max(0, x_u ⊙ g_u)‖₂.
/// With several layers (one backward pass) each map is resized to the input, min–max normalised, and the maps are
/// multiplied (or summed with weights).
/// </summary>
public sealed class NormGrad : SaliencyMethod
{
    public NormGrad(string? layer = null, bool selective = false)
        : this(layer is null ? [] : [layer], selective) { }

    /// <param name="layers">layers to combine; empty = the model's last convolutional block</param>
    /// <param name="weights">null: product of the normalised maps; otherwise their weighted sum</param>
    public NormGrad(IReadOnlyList<string> layers, bool selective = false, IReadOnlyList<double>? weights = null)
    {
        if (weights is not null && weights.Count != layers.Count)
            throw new TsgbInputException($"{weights.Count} weights for {layers.Count} layers");
        Layers = layers;
        Selective = selective;
        Weights = weights;
    }

    public IReadOnlyList<string> Layers { get; }
    public bool Selective { get; }
    public IReadOnlyList<double>? Weights { get; }

    public override bool ReadsLayer => true;

    /// <summary>The layer read on this model; several are joined with " × ".</summary>
    public override string? LayerOn(Classifier model) => Layers.Count == 0 ? model.CamLayer : string.Join(" × ", Layers);

    public override string Name => Selective ? "normgrad-selective" : "normgrad";

    public override string Description =>
        $"NormGrad{(Selective ? " (selective)" : "")} at {(Layers.Count == 0 ? "the last convolutional block" : string.Join(" × ", Layers))}: " +
        "norm of the gradient of a virtual identity 1×1 convolution per position.";

    public override AttributionResult Attribute(Classifier model, Tensor inputs, long[] targets, bool statistics = false) =>
        Attribute(model, inputs, TargetSelection.Fixed(targets), statistics);

    internal override AttributionResult Attribute(Classifier model, Tensor inputs, TargetSelection targets, bool statistics)
    {
        var layers = Layers.Count == 0 ? new[] { model.CamLayer } : Layers.ToArray();
        using var result = Backprop.Run(model, inputs, targets, rules: null, statistics, capture: layers);
        using var scope = NewDisposeScope();
        var maps = new List<Tensor>();
        foreach (var layer in layers)
        {
            var (a, g) = result.Captured[layer];
            LayerMaps.RequireSpatial(layer, a);
            var map = Selective
                ? (a * g).relu().square().sum(1).sqrt()
                : g.square().sum(1).sqrt() * a.square().sum(1).sqrt();
            maps.Add(LayerMaps.Upsample(map, inputs.shape[2], inputs.shape[3]));
        }

        Tensor combined;
        if (maps.Count == 1) combined = maps[0];
        else if (Weights is null) combined = maps.Select(LayerMaps.MinMax).Aggregate((p, m) => p * m);
        else combined = maps.Select((m, i) => LayerMaps.MinMax(m) * Weights[i]).Aggregate((s, m) => s + m);
        return new AttributionResult(combined.MoveToOuterDisposeScope(), result.Logits.clone().MoveToOuterDisposeScope(), result.Statistics)
            { Targets = result.Targets };
    }
}
