using TsgbKit.Rules;

namespace TsgbKit.Methods;

/// <summary>Vanilla gradient (Simonyan et al. 2014): max_c |∂s/∂x|.</summary>
public sealed class Gradient() : InputGradientMethod(Composite.None, MapReduction.AbsMax)
{
    public override string Name => "gradient";
    public override string Description => "Gradient: max over channels of |∂score/∂input|.";
}
