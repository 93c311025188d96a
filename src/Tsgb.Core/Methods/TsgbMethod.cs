using TsgbKit.Rules;

namespace TsgbKit.Methods;

/// <summary>
/// TSGB (Cheng et al., TIP 2022): one backward pass with TSGB-Conv and/or TSGB-FC; the map is Σ_c x_c ⊙ g̃_c
/// at the input (signed and raw; display clamps negatives).
/// </summary>
public sealed class TsgbMethod : InputGradientMethod
{
    /// <param name="rules">TSGB-Conv + TSGB-FC by default; any composite (e.g. Tsgb.Conv.From("features.10").And(Tsgb.Fc.Beta(0.8)))</param>
    public TsgbMethod(Composite? rules = null, string? name = null) : base(rules ?? Tsgb.Conv.And(Tsgb.Fc), MapReduction.InputTimesGradient)
    {
        Name = name ?? (rules is null ? "tsgb" : CompositeNames.NameOf(Rules));
    }

    public override string Name { get; }

    // a composite without TSGB rules is input × gradient under those rules: described as such, not as TSGB
    public override string Description => CompositeNames.Describe(Rules);

    /// <summary>TSGB-Conv alone (with its BatchNorm and AvgPool rules).</summary>
    public static TsgbMethod ConvOnly() => new(Tsgb.Conv, "tsgb-conv");

    /// <summary>TSGB-FC alone, on the last Linear layer.</summary>
    public static TsgbMethod FcOnly(double beta = 1.0) => new(Tsgb.Fc.Beta(beta), "tsgb-fc");
}
