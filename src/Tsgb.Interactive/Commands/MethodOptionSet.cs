using System.CommandLine;
using TsgbKit.Methods;

namespace TsgbKit.Interactive.Commands;

/// <summary>
/// The method settings explain, compare, stats and evaluate share (--beta --layer --from --samples --inner), read
/// into <see cref="MethodSettings"/>. An option left out stays null, so the registry can refuse one given to a method
/// that does not read it.
/// </summary>
internal sealed class MethodOptionSet
{
    public Option<double?> Beta { get; } = new("--beta") { Description = "TSGB-FC multiplier m (β = m·z⁺/|z⁻|; tsgb, tsgb-fc; default 1)" };
    public Option<string?> Layer { get; } = new("--layer") { Description = "layer for Grad-CAM, Grad-CAM++, guided Grad-CAM, NormGrad (default: last convolutional block)" };
    public Option<string?> From { get; } = new("--from") { Description = "apply TSGB-Conv only from this layer on (tsgb, tsgb-conv)" };
    public Option<int?> Samples { get; } = new("--samples") { Description = "SmoothGrad samples (default 25) / integrated-gradients steps (default 32)" };
    public Option<string?> Inner { get; } = new("--inner") { Description = "the method SmoothGrad or integrated-gradients wraps (default: gradient)" };

    public IEnumerable<Option> All => [Beta, Layer, From, Samples, Inner];

    /// <summary>The `--method` option, listing the registry's names.</summary>
    public static Option<string> Method(string description = "method") =>
        new("--method") { Description = $"{description}: {string.Join(", ", MethodCatalog.Names)}", DefaultValueFactory = _ => "tsgb" };

    /// <summary>The `--methods` option (comma-separated registry names, or 'all').</summary>
    public static Option<string> Methods(string defaultValue) =>
        new("--methods") { Description = $"comma-separated methods, or 'all' ({string.Join(", ", MethodCatalog.Names)}); a setting goes to the methods that read it", DefaultValueFactory = _ => defaultValue };

    public MethodSettings Read(ParseResult parse) => new()
    {
        Beta = parse.GetValue(Beta), Layer = parse.GetValue(Layer), From = parse.GetValue(From),
        Samples = parse.GetValue(Samples), Inner = parse.GetValue(Inner),
    };
}
