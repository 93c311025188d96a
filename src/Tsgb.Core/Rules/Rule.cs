using TorchSharp;
using static TorchSharp.torch;

namespace TsgbKit.Rules;

/// <summary>
/// Replaces how the gradient passes one layer type, inside a single backward pass (Zennit's idea of a rule).
/// The engine saves the layer's input x and output y during the forward pass and calls <see cref="Backward"/>
/// with the gradient g that arrives at y; the returned tensor is the gradient passed on to x.
/// </summary>
public abstract class Rule
{
    /// <summary>Short name shown in layer statistics and descriptions, e.g. "tsgb-conv".</summary>
    public abstract string Name { get; }

    /// <summary>Whether this rule knows how to treat the module (its type and settings).</summary>
    public abstract bool AppliesTo(nn.Module module);

    /// <summary>The gradient at the layer's input, given input x, output y (as the forward produced it) and g at y.</summary>
    public abstract Tensor Backward(nn.Module module, Tensor x, Tensor y, Tensor g);

    public override string ToString() => Name;
}
