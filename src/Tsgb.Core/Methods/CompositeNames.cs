using TsgbKit.Rules;

namespace TsgbKit.Methods;

/// <summary>
/// How a `.With(composite)` result is named and described. A composite is a set of rules and the map is always
/// Σ_c x_c ⊙ g̃_c, so the name says both: no rules is plain input × gradient (the same map as
/// <see cref="InputXGradient"/>, under its name), TSGB composites keep their rule names ("tsgb-conv + tsgb-fc"),
/// and any other composite is "input-x-gradient [guided-backprop rules]", never the name of a method whose map is
/// read differently (guided-backprop's own map is max_c |g|).
/// </summary>
public static class CompositeNames
{
    /// <summary>Whether any of the composite's rules is one of TSGB's.</summary>
    public static bool IsTsgb(Composite rules) =>
        rules.Entries.Any(e => e.Rule is TsgbConvRule or TsgbFcRule or TsgbBatchNormRule or TsgbAvgPoolRule);

    public static string NameOf(Composite rules) =>
        rules.Entries.Count == 0 ? "input-x-gradient"
        : IsTsgb(rules) ? rules.Name
        : $"input-x-gradient [{rules.Name} rules]";

    public static string Describe(Composite rules) =>
        rules.Entries.Count == 0 ? InputXGradient.Text
        : IsTsgb(rules) ? $"TSGB ({rules.Name}): Σ over channels of input ⊙ the target-selective rectified gradient."
        : $"Input × Gradient with {rules.Name} rules: Σ over channels of input ⊙ the gradient as those rules pass it (signed).";

    /// <summary>The method `.With(rules)` runs: <see cref="InputXGradient"/> for no rules, else input × the rectified gradient.</summary>
    public static SaliencyMethod MethodFor(Composite rules) =>
        rules.Entries.Count == 0 ? new InputXGradient() : new TsgbMethod(rules);
}
