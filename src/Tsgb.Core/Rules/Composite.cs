using TorchSharp;
using TorchSharp.Modules;
using TsgbKit.Errors;

namespace TsgbKit.Rules;

/// <summary>
/// Maps layers to rules (Zennit's composite): an ordered list of (rule, selector); a layer takes the first entry
/// whose rule applies to its type and whose selector matches it. Immutable: every fluent call returns a new one.
/// </summary>
public sealed class Composite
{
    public sealed record Entry(Rule Rule, LayerSelector Selector);

    public Composite(string name, IEnumerable<Entry> entries)
    {
        Name = name;
        Entries = entries.ToList();
    }

    public Composite(string name, params Entry[] entries) : this(name, (IEnumerable<Entry>)entries) { }

    /// <summary>The plain gradient: no rule anywhere.</summary>
    public static Composite None { get; } = new("gradient");

    /// <summary>Shown in descriptions and statistics, e.g. "tsgb-conv + tsgb-fc".</summary>
    public string Name { get; }

    public IReadOnlyList<Entry> Entries { get; }

    /// <summary>Both composites; where both cover a layer, this one's rule wins.</summary>
    public Composite And(Composite other) => new($"{Name} + {other.Name}", Entries.Concat(other.Entries));

    /// <summary>Restricts every rule to layers from <paramref name="layer"/> on (forward order), e.g. Tsgb.Conv.From("features.10").</summary>
    public Composite From(string layer) => Restrict(LayerSelector.From(layer), $"from {layer}");

    /// <summary>Restricts every rule to layers up to <paramref name="layer"/>.</summary>
    public Composite Until(string layer) => Restrict(LayerSelector.Until(layer), $"until {layer}");

    /// <summary>Restricts every rule to the named layers.</summary>
    public Composite Only(params string[] layers) => Restrict(LayerSelector.Named(layers), $"only {string.Join(",", layers)}");

    /// <summary>Restricts every rule with any selector.</summary>
    public Composite Where(LayerSelector selector) => Restrict(selector, selector.Description);

    /// <summary>Drops the rules of one kind, e.g. Without&lt;TsgbBatchNormRule&gt;() to ablate the BatchNorm rule.</summary>
    public Composite Without<TRule>() where TRule : Rule =>
        new($"{Name} without {typeof(TRule).Name.Replace("Rule", "")}", Entries.Where(e => e.Rule is not TRule));

    /// <summary>
    /// TSGB-FC's multiplier m (β = m · z⁺/|z⁻|): Tsgb.Fc.Beta(0.8). The parameter belongs to the TSGB-FC rule, so a
    /// composite without one refuses it; a later call replaces an earlier one.
    /// </summary>
    public Composite Beta(double multiplier)
    {
        if (!Entries.Any(e => e.Rule is TsgbFcRule))
            throw new TsgbInputException(
                $"composite '{Name}' has no TSGB-FC rule: Beta sets TSGB-FC's multiplier, e.g. {Name}.And(Tsgb.Fc.Beta({multiplier.ToString(System.Globalization.CultureInfo.InvariantCulture)}))");
        var rule = new TsgbFcRule(multiplier);
        return new(FcInName.Replace(Name, rule.Name), Entries.Select(e => e.Rule is TsgbFcRule ? e with { Rule = rule } : e));
    }

    // "tsgb-fc" with any β an earlier call put there
    private static readonly System.Text.RegularExpressions.Regex FcInName = new(@"tsgb-fc(\(β=[^)]*\))?");

    /// <summary>The rule for a layer, or null where the plain gradient passes.</summary>
    public Rule? RuleFor(LayerInfo layer) =>
        Entries.FirstOrDefault(e => e.Rule.AppliesTo(layer.Module) && e.Selector.Matches(layer))?.Rule;

    public override string ToString() => Name;

    private Composite Restrict(LayerSelector selector, string suffix) =>
        new($"{Name} ({suffix})", Entries.Select(e => e with { Selector = e.Selector.And(selector) }));
}
