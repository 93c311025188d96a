using System.Diagnostics;

namespace TsgbKit.Native;

/// <summary>
/// The numerics self-check, run once where libtorch is first loaded: a battery of small float32 probes against
/// float64 (<see cref="NumericsProbes"/>) picks the fastest libtorch configuration that computes right on this
/// CPU, or refuses with an error naming the failing probes. Environment:
/// <c>TSGB_TORCH_BACKEND</c> = auto (default) | onednn | no-onednn | onednn-ISA forces a configuration (still
/// probed); <c>TSGB_SELF_CHECK</c> = off skips the probes.
/// </summary>
public static class TorchBackend
{
    public const string ConfigurationVariable = "TSGB_TORCH_BACKEND";
    public const string SelfCheckVariable = "TSGB_SELF_CHECK";

    /// <summary>Rounds per probe: a faulty kernel fails at random, so one clean round proves little.</summary>
    public const int Rounds = 3;

    /// <summary>What the self-check found; null until libtorch is loaded (any Tsgb call, or TorchNative.EnsureLoaded).</summary>
    public static SelfCheckReport? Report { get; private set; }

    /// <summary>One line: the configuration in use and why (the kernel logs it; the CLI prints it with --verbose).</summary>
    public static string Summary => Report?.Summary ?? "libtorch not loaded yet";

    /// <summary>The machine's memory of configurations that failed here (see <see cref="KnownFaults"/>).</summary>
    public static KnownFaults Faults => _faults ??= KnownFaults.ForThisMachine(LibTorchContext.BuildConfiguration());
    static KnownFaults? _faults;

    /// <summary>Called by TorchNative once the native library is loaded, before anything else runs on it.</summary>
    internal static void Select()
    {
        var clock = Stopwatch.StartNew();
        var nnpack = LibTorchContext.NnpackUnavailableReason();
        if (nnpack is not null) LibTorchContext.NnpackEnabled = false; // else ATen warns on stderr at every convolution

        var isaFromEnvironment = LibC.GetEnvironmentVariable("DNNL_MAX_CPU_ISA");
        var requested = Environment.GetEnvironmentVariable(ConfigurationVariable);
        bool forced = !string.IsNullOrWhiteSpace(requested) && !requested.Trim().Equals("auto", StringComparison.OrdinalIgnoreCase);
        var candidates = forced
            ? [TorchConfiguration.Parse(requested!)]
            : isaFromEnvironment is not null
                ? TorchConfiguration.Candidates.Select(c => c == TorchConfiguration.OneDnnFull ? TorchConfiguration.CappedTo(isaFromEnvironment) : c).Distinct().ToList()
                : TorchConfiguration.Candidates;
        var mode = forced ? $"forced by {ConfigurationVariable}" : "chosen by the self-check";
        var torch = new LibTorchSwitch(isaFromEnvironment);

        if (IsOff(Environment.GetEnvironmentVariable(SelfCheckVariable)))
        {
            torch.Apply(candidates[0]);
            Report = new SelfCheckReport(candidates[0], [], mode, clock.Elapsed, nnpack);
            return;
        }
        Report = BackendSelection.Choose(candidates, NumericsProbes.All, Rounds, torch, Faults, mode, nnpack, forced);
        if (Report.Chosen is null) throw new TorchNumericsException(Report);
    }

    static bool IsOff(string? value) => value?.Trim().ToLowerInvariant() is "off" or "0" or "false" or "skip" or "no";
}
