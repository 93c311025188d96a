namespace TsgbKit.Methods;

/// <summary>Guided backpropagation: positive gradients through active ReLUs only; max_c |g|.</summary>
public sealed class GuidedBackprop() : InputGradientMethod(Tsgb.Guided, MapReduction.AbsMax)
{
    public override string Name => "guided-backprop";
    public override string Description => "Guided Backprop: only positive gradients pass active ReLUs; sharp but barely class-selective.";
}
