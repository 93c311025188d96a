namespace TsgbKit.Methods;

/// <summary>The settings a method name can take, one flag each (which ones a method takes is on its registry entry).</summary>
[Flags]
public enum MethodSetting
{
    None = 0,
    Beta = 1,
    Layer = 2,
    From = 4,
    Samples = 8,
    Inner = 16,
}

/// <summary>
/// Settings a method name takes from the command line or a magic (--beta, --layer, --from, --samples, --inner).
/// Null means "not given": a given setting the chosen method does not read is refused, never silently ignored.
/// </summary>
public sealed record MethodSettings
{
    /// <summary>TSGB-FC multiplier m (1 when not given).</summary>
    public double? Beta { get; init; }
    /// <summary>Layer for CAM methods and NormGrad (null: the last convolutional block).</summary>
    public string? Layer { get; init; }
    /// <summary>TSGB-Conv only from this layer on.</summary>
    public string? From { get; init; }
    /// <summary>SmoothGrad samples / Integrated Gradients steps.</summary>
    public int? Samples { get; init; }
    /// <summary>The method SmoothGrad and Integrated Gradients wrap (default: gradient).</summary>
    public string? Inner { get; init; }

    /// <summary>The settings given.</summary>
    public MethodSetting Given =>
        (Beta is null ? 0 : MethodSetting.Beta) | (Layer is null ? 0 : MethodSetting.Layer) | (From is null ? 0 : MethodSetting.From) |
        (Samples is null ? 0 : MethodSetting.Samples) | (Inner is null ? 0 : MethodSetting.Inner);

    /// <summary>These settings with only the <paramref name="kept"/> ones left.</summary>
    public MethodSettings Only(MethodSetting kept) => new()
    {
        Beta = kept.HasFlag(MethodSetting.Beta) ? Beta : null,
        Layer = kept.HasFlag(MethodSetting.Layer) ? Layer : null,
        From = kept.HasFlag(MethodSetting.From) ? From : null,
        Samples = kept.HasFlag(MethodSetting.Samples) ? Samples : null,
        Inner = kept.HasFlag(MethodSetting.Inner) ? Inner : null,
    };

    /// <summary>The command-line spelling of each flag set, e.g. "--beta, --layer".</summary>
    public static string OptionNames(MethodSetting settings) =>
        string.Join(", ", Enum.GetValues<MethodSetting>().Where(s => s != MethodSetting.None && settings.HasFlag(s))
            .Select(s => "--" + s.ToString().ToLowerInvariant()));
}
