using TsgbKit.Errors;

namespace TsgbKit.Methods;

/// <summary>
/// The registry of methods by name: what `tsgb explain --method NAME`, `compare`/`evaluate --methods a,b` and the
/// magics accept. Each entry says which settings the method reads; everything else about a method is on its class.
/// </summary>
public static class MethodCatalog
{
    public static IReadOnlyList<MethodEntry> Entries { get; } =
    [
        new("gradient", ["saliency"], MethodSetting.None, _ => new Gradient()),
        new("input-x-gradient", ["inputxgradient"], MethodSetting.None, _ => new InputXGradient()),
        new("guided-backprop", ["guided"], MethodSetting.None, _ => new GuidedBackprop()),
        new("deconvnet", ["deconv"], MethodSetting.None, _ => new Deconvnet()),
        new("tsgb", [], MethodSetting.Beta | MethodSetting.From, s => new TsgbMethod(Conv(s).And(Fc(s)), "tsgb")),
        new("tsgb-conv", [], MethodSetting.From, s => new TsgbMethod(Conv(s), "tsgb-conv")),
        new("tsgb-fc", [], MethodSetting.Beta, s => new TsgbMethod(Fc(s), "tsgb-fc")),
        new("gradcam", ["grad-cam"], MethodSetting.Layer, s => new GradCam(s.Layer)),
        new("gradcam++", ["grad-cam++", "gradcampp"], MethodSetting.Layer, s => new GradCamPlusPlus(s.Layer)),
        new("guided-gradcam", [], MethodSetting.Layer, s => new GuidedGradCam(s.Layer)),
        new("normgrad", [], MethodSetting.Layer, s => new NormGrad(s.Layer)),
        new("normgrad-selective", [], MethodSetting.Layer, s => new NormGrad(s.Layer, selective: true)),
        new("smoothgrad", [], MethodSetting.Samples | MethodSetting.Inner, s => new SmoothGrad(Inner(s), s.Samples ?? 25), Wraps: true),
        new("integrated-gradients", ["ig"], MethodSetting.Samples | MethodSetting.Inner, s => new IntegratedGradients(
            Inner(s) as InputGradientMethod
                ?? throw new TsgbInputException($"integrated-gradients wraps input-gradient methods (gradient, guided-backprop, deconvnet, tsgb…), not '{s.Inner}'"),
            s.Samples ?? 32), Wraps: true),
    ];

    /// <summary>The registry's names, in its order.</summary>
    public static IReadOnlyList<string> Names { get; } = Entries.Select(e => e.Name).ToList();

    /// <summary>The entry answering to a name or alias (case-insensitive).</summary>
    public static MethodEntry Find(string name) =>
        Entries.FirstOrDefault(e => e.Answers(name?.Trim() ?? ""))
            ?? throw new TsgbInputException($"unknown method '{name}'; known methods: {string.Join(", ", Names)}");

    /// <summary>The method a name stands for; a given setting it does not read is refused.</summary>
    public static SaliencyMethod Create(string name, MethodSettings? settings = null)
    {
        settings ??= new MethodSettings();
        var entry = Find(name);
        var unread = settings.Given & ~entry.Reads(settings);
        if (unread != MethodSetting.None)
            throw new TsgbInputException($"{MethodSettings.OptionNames(unread)} does not apply to {Describe(entry, settings)}{Readers(unread)}");
        return entry.Factory(settings);
    }

    /// <summary>
    /// Several methods with one set of settings (compare, evaluate): each setting goes to the methods that read it;
    /// one that none of them reads is refused.
    /// </summary>
    public static IReadOnlyList<SaliencyMethod> CreateEach(IEnumerable<string> names, MethodSettings? settings = null)
    {
        settings ??= new MethodSettings();
        var entries = names.Select(Find).ToList();
        var read = entries.Aggregate(MethodSetting.None, (r, e) => r | e.Reads(settings));
        var unread = settings.Given & ~read;
        if (unread != MethodSetting.None)
            throw new TsgbInputException($"{MethodSettings.OptionNames(unread)} applies to none of {string.Join(", ", entries)}{Readers(unread)}");
        return entries.Select(e => Create(e.Name, settings.Only(e.Reads(settings)))).ToList();
    }

    /// <summary>Every method of the registry.</summary>
    public static IReadOnlyList<SaliencyMethod> CreateAll(MethodSettings? settings = null) => CreateEach(Names, settings);

    /// <summary>"a,b,c" or "all" as registry names (an unknown one is refused before any work).</summary>
    public static IReadOnlyList<string> ParseList(string text) =>
        text.Trim().Equals("all", StringComparison.OrdinalIgnoreCase)
            ? Names
            : text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Select(n => Find(n).Name).ToList() is { Count: > 0 } list
                ? list
                : throw new TsgbInputException($"no method named; known methods: {string.Join(", ", Names)}");

    private static Rules.Composite Conv(MethodSettings s) => s.From is null ? Tsgb.Conv : Tsgb.Conv.From(s.From);
    private static Rules.Composite Fc(MethodSettings s) => Tsgb.Fc.Beta(s.Beta ?? 1.0);
    private static SaliencyMethod Inner(MethodSettings s) => Create(s.Inner ?? "gradient", s with { Inner = null, Samples = null });

    private static string Describe(MethodEntry entry, MethodSettings settings) =>
        entry.Wraps ? $"{entry.Name} of {Find(settings.Inner ?? "gradient").Name}" : entry.Name;

    // who would read them: the hint that makes the refusal useful
    private static string Readers(MethodSetting settings)
    {
        var readers = Entries.Where(e => ((e.Settings & settings) != 0)).Select(e => e.Name).ToList();
        return readers.Count == 0 ? "" : $" (it applies to {string.Join(", ", readers)})";
    }
}
