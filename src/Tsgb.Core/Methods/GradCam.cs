using static TorchSharp.torch;

namespace TsgbKit.Methods;

/// <summary>Grad-CAM (Selvaraju et al. 2017): α_k = mean_ij ∂s/∂A^k, map = ReLU(Σ_k α_k A^k).</summary>
public sealed class GradCam(string? layer = null) : CamMethod(layer)
{
    public override string Name => "gradcam";
    public override string Description => $"Grad-CAM at {Layer ?? "the last convolutional block"}: channels weighted by their mean gradient, coarse but class-selective.";

    protected override Tensor Map(Tensor activation, Tensor gradient)
    {
        var alpha = gradient.mean([2, 3], keepdim: true);
        return (alpha * activation).sum(1).relu();
    }
}
