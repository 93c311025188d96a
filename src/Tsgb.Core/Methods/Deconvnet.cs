namespace TsgbKit.Methods;

/// <summary>Deconvnet: ReLU applied to the gradient; max_c |g|.</summary>
public sealed class Deconvnet() : InputGradientMethod(Tsgb.Deconv, MapReduction.AbsMax)
{
    public override string Name => "deconvnet";
    public override string Description => "Deconvnet: ReLUs rectify the gradient itself instead of masking by the forward activation.";
}
