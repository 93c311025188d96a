namespace TsgbKit.Native;

/// <summary>How one configuration fared: its probes (worst round of each), or why it was not tried.</summary>
public sealed record ConfigurationTrial(TorchConfiguration Configuration, IReadOnlyList<ProbeResult> Probes, string? NotTried = null)
{
    public bool Passed => NotTried is null && Probes.Count > 0 && Probes.All(p => p.Passed);

    /// <summary>The first probe that failed (the rest are not run in a configuration already rejected).</summary>
    public ProbeResult? Failure => Probes.FirstOrDefault(p => !p.Passed);

    public override string ToString() =>
        NotTried is not null ? $"{Configuration.Name}: not tried, {NotTried}"
        : Failure is { } failure ? $"{Configuration.Name}: wrong, {failure}"
        : $"{Configuration.Name}: {Probes.Count} probes passed";
}

/// <summary>What the numerics self-check found and which libtorch configuration is in use.</summary>
public sealed record SelfCheckReport(
    TorchConfiguration? Chosen,
    IReadOnlyList<ConfigurationTrial> Trials,
    string Mode,
    TimeSpan Elapsed,
    string? NnpackUnavailable)
{
    /// <summary>The self-check ran no probe (TSGB_SELF_CHECK=off).</summary>
    public bool Skipped => Trials.Count == 0;

    /// <summary>One line for logs and --verbose: the configuration, why, and what the probes measured.</summary>
    public string Summary
    {
        get
        {
            var nnpack = NnpackUnavailable is null ? "" : $"; NNPACK off ({NnpackUnavailable})";
            if (Chosen is null)
                return $"libtorch CPU: no configuration computes right ({string.Join("; ", Trials)}){nnpack}";
            if (Skipped)
                return $"libtorch CPU: {Chosen.Description} [{Chosen.Name}], {Mode}, self-check skipped (TSGB_SELF_CHECK=off){nnpack}";
            var rejected = Trials.Where(t => !t.Passed).Select(t => t.ToString()).ToList();
            var chosen = Trials.First(t => t.Configuration == Chosen);
            return $"libtorch CPU: {Chosen.Description} [{Chosen.Name}], {Mode}; {chosen.Probes.Count} probes within " +
                   $"{chosen.Probes.Max(p => p.Error):0.0e+0} of float64 in {Elapsed.TotalMilliseconds:0} ms" +
                   (rejected.Count > 0 ? $"; rejected: {string.Join("; ", rejected)}" : "") + nnpack;
        }
    }

    public override string ToString() => Summary;
}

/// <summary>libtorch computes wrong numbers on this machine in every configuration tried; the message names the probes.</summary>
public sealed class TorchNumericsException(SelfCheckReport report) : Exception(
    "libtorch computes wrong numbers on this CPU in every configuration tried (" +
    string.Join("; ", report.Trials) + "). Force one with TSGB_TORCH_BACKEND=onednn|no-onednn|onednn-ISA, " +
    "or skip the check with TSGB_SELF_CHECK=off (maps may then be wrong); `tsgb doctor` shows the details."), TsgbKit.Errors.IUserError
{
    public SelfCheckReport Report { get; } = report;
}
