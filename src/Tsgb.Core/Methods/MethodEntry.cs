namespace TsgbKit.Methods;

/// <summary>
/// One method of the registry: its name, the other spellings accepted, the settings it reads and how to build it.
/// What the method is (signed, gradient-like, statistics, layer read, description) lives on the instance.
/// </summary>
/// <param name="Wraps">a wrapper (SmoothGrad, Integrated Gradients): the settings it does not read go to its inner method</param>
public sealed record MethodEntry(string Name, IReadOnlyList<string> Aliases, MethodSetting Settings,
    Func<MethodSettings, SaliencyMethod> Factory, bool Wraps = false)
{
    public bool Answers(string name) =>
        string.Equals(Name, name, StringComparison.OrdinalIgnoreCase) || Aliases.Contains(name, StringComparer.OrdinalIgnoreCase);

    /// <summary>The settings this entry reads with these settings given (a wrapper adds its inner method's).</summary>
    public MethodSetting Reads(MethodSettings settings) =>
        Wraps ? Settings | MethodCatalog.Find(settings.Inner ?? "gradient").Reads(settings with { Inner = null }) : Settings;

    public override string ToString() => Name;
}
