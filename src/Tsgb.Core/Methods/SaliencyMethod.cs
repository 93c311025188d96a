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
    public abstract Attribution Attribute(Classifier model, Tensor inputs, long[] targets, bool statistics = false);

    public override string ToString() => Name;

    /// <summary>One row per target: a single image (1×3×H×W) explained for several targets is repeated.</summary>
    protected static Tensor RowsFor(Tensor inputs, long[] targets) =>
        inputs.shape[0] == 1 && targets.Length > 1 ? inputs.expand(targets.Length, -1, -1, -1) : inputs;
}
