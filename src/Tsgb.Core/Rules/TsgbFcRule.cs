using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace TsgbKit.Rules;

/// <summary>
/// TSGB-FC for the last Linear layer (y = x Wᵀ + b). With W⁺ = max(W, 0), W⁻ = min(W, 0), z⁺ = x W⁺ᵀ and
/// z⁻ = x W⁻ᵀ (no bias), each output unit's negative weights are rescaled by β = m · z⁺ / |z⁻| so that they
/// balance its positive evidence: g_x = g W⁺ + (g ⊙ β) W⁻.
/// Where z⁻ = 0 (no negative evidence reaches that unit) β is set to 0: there is nothing to rescale, and
/// the unit passes its positive part only.
/// </summary>
public sealed class TsgbFcRule(double multiplier = 1.0) : Rule
{
    /// <summary>m: 1 by default; the authors use 0.75–0.9 for ResNets.</summary>
    public double Multiplier { get; } = multiplier;

    public override string Name => Multiplier == 1.0 ? "tsgb-fc" : $"tsgb-fc(β={Multiplier:0.###})";

    public override bool AppliesTo(nn.Module module) => module is Linear;

    public override Tensor Backward(nn.Module module, Tensor x, Tensor y, Tensor g)
    {
        var weight = ((Linear)module).weight!.detach();
        var positive = weight.clamp_min(0);
        var negative = weight.clamp_max(0);
        var zPositive = x.matmul(positive.t());
        var zNegative = x.matmul(negative.t()).abs();
        var beta = where(zNegative > 0, Multiplier * zPositive / zNegative.clamp_min(1e-30), zeros_like(zNegative));
        return g.matmul(positive) + (g * beta).matmul(negative);
    }
}
