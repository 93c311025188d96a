using TsgbKit.Rules;

namespace TsgbKit.Methods;

/// <summary>Input × Gradient (Shrikumar et al. 2016): Σ_c x ⊙ ∂s/∂x.</summary>
public sealed class InputXGradient() : InputGradientMethod(Composite.None, MapReduction.InputTimesGradient)
{
    public override string Name => "input-x-gradient";
    public override string Description => Text;

    internal const string Text = "Input × Gradient: Σ over channels of input ⊙ ∂score/∂input (signed).";
}
