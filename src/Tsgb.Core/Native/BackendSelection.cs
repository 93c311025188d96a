using System.Diagnostics;
using static TorchSharp.torch;

namespace TsgbKit.Native;

/// <summary>
/// Tries configurations in order and keeps the first whose probes all pass: the order is fastest first, so that
/// is the fastest configuration that computes right. Configurations that failed here before are not tried again.
/// </summary>
internal static class BackendSelection
{
    /// <param name="rounds">how often each probe runs with fresh values: faulty kernels fail at random</param>
    /// <param name="forced">the user named the configuration: no memory of past faults applies, failure is final</param>
    public static SelfCheckReport Choose(IReadOnlyList<TorchConfiguration> candidates, IReadOnlyList<NumericsProbe> probes,
        int rounds, ITorchSwitch torch, KnownFaults? memory, string mode, string? nnpackUnavailable, bool forced = false)
    {
        var clock = Stopwatch.StartNew();
        var trials = new List<ConfigurationTrial>();
        using var generator = new Generator(seed: 20221); // private: the user's random stream is left alone
        foreach (var configuration in candidates)
        {
            if (!forced && memory?.Find(configuration) is { } fault)
            {
                trials.Add(new(configuration, [], $"it failed {fault} on this machine before (remembered in {memory.Path})"));
                continue;
            }
            if (torch.CannotApply(configuration) is { } reason)
            {
                trials.Add(new(configuration, [], reason));
                continue;
            }
            torch.Apply(configuration);
            var trial = new ConfigurationTrial(configuration, RunProbes(probes, rounds, generator));
            trials.Add(trial);
            if (trial.Passed)
                return new SelfCheckReport(configuration, trials, mode, clock.Elapsed, nnpackUnavailable);
            if (!forced) memory?.Remember(configuration, trial.Failure!);
        }
        return new SelfCheckReport(null, trials, mode, clock.Elapsed, nnpackUnavailable);
    }

    /// <summary>Each probe's worst round; stops at the first failure.</summary>
    static List<ProbeResult> RunProbes(IReadOnlyList<NumericsProbe> probes, int rounds, Generator generator)
    {
        var results = new List<ProbeResult>();
        foreach (var probe in probes)
        {
            ProbeResult? worst = null;
            for (int round = 0; round < rounds; round++)
            {
                var result = probe.Run(generator, CPU);
                if (worst is null || !result.Passed || result.Error > worst.Error) worst = result;
                if (!result.Passed) break;
            }
            results.Add(worst!);
            if (!worst!.Passed) break;
        }
        return results;
    }
}
