using static TorchSharp.torch;

namespace TsgbKit.Methods;

/// <summary>
/// Grad-CAM++ (Chattopadhyay et al. 2018), the paper's closed form for an exponentiated score, written with the
/// gradients g of the raw logit: α = g² / (2g² + Σ_ab A_ab g³) (0 where g = 0), w_k = Σ_ij α ReLU(g),
/// map = ReLU(Σ_k w_k A^k).
/// </summary>
public sealed class GradCamPlusPlus(string? layer = null) : CamMethod(layer)
{
    public override string Name => "gradcam++";
    public override string Description => $"Grad-CAM++ at {Layer ?? "the last convolutional block"}: positive gradients weighted per position, better for several instances.";

    protected override Tensor Map(Tensor activation, Tensor gradient)
    {
        var g2 = gradient.square();
        var g3 = g2 * gradient;
        var denominator = 2 * g2 + activation.sum([2, 3], keepdim: true) * g3;
        var valid = (gradient != 0) & (denominator != 0);
        var alpha = where(valid, g2 / where(valid, denominator, ones_like(denominator)), zeros_like(g2));
        var weights = (alpha * gradient.relu()).sum([2, 3], keepdim: true);
        return (weights * activation).sum(1).relu();
    }
}
