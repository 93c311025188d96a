using TsgbKit.Engine;
using TsgbKit.Models;
using static TorchSharp.torch;

namespace TsgbKit.Methods;

/// <summary>
/// A saliency method (Captum's shape: one class per method, one verb). Row i of the inputs is explained for
/// targets[i]; several targets of one image are several rows of one batched pass.
/// </summary>
public abstract class SaliencyMethod
{
    /// <summary>The name used by the CLI and the magics, e.g. "gradcam++".</summary>
    public abstract string Name { get; }

    /// <summary>One sentence on what the method computes.</summary>
    public abstract string Description { get; }

    /// <summary>Maps at input resolution (B×H×W, raw: signed where the method is), logits and statistics.</summary>
    public abstract AttributionResult Attribute(Classifier model, Tensor inputs, long[] targets, bool statistics = false);

    /// <summary>
    /// The fluent API's entry, where targets may be chosen from the scores. Single-pass methods override it and
    /// choose from their own forward; this fallback (methods of many passes, methods defined elsewhere) takes
    /// the scores from a forward of its own first.
    /// </summary>
    internal virtual AttributionResult Attribute(Classifier model, Tensor inputs, TargetSelection targets, bool statistics)
    {
        long[] chosen;
        if (targets.Known is { } known) chosen = known;
        else
            using (var logits = model.Logits(inputs))
                chosen = Backprop.Chosen(model, targets, logits);
        var result = Attribute(model, inputs, chosen, statistics);
        // the same tensors, now saying which targets they explain (the new result owns them)
        return new AttributionResult(result.Maps, result.Logits, result.Statistics) { Targets = chosen };
    }

    /// <summary>Whether the raw map can be negative (input × gradient, TSGB, integrated gradients); display clamps it.</summary>
    public virtual bool Signed => false;

    /// <summary>Whether the map is a gradient magnitude, blurred before the pointing game as TorchRay does.</summary>
    public virtual bool GradientLike => false;

    /// <summary>
    /// Whether <see cref="Attribute(Classifier, Tensor, long[], bool)"/> can record per-layer statistics; one that
    /// cannot throws when asked for them.
    /// </summary>
    public virtual bool SupportsStatistics => true;

    /// <summary>Whether the method reads one layer's activation (CAM methods, NormGrad).</summary>
    public virtual bool ReadsLayer => false;

    /// <summary>The layer the method reads on this model (its own, or the model's last convolutional block); null if none.</summary>
    public virtual string? LayerOn(Classifier model) => null;

    public override string ToString() => Name;

    /// <summary>One row per target: a single image (1×3×H×W) explained for several targets is repeated.</summary>
    protected static Tensor RowsFor(Tensor inputs, long[] targets) =>
        inputs.shape[0] == 1 && targets.Length > 1 ? inputs.expand(targets.Length, -1, -1, -1) : inputs;
}
