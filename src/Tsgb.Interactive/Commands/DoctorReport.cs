using System.Reflection;
using System.Runtime.InteropServices;
using System.Text.RegularExpressions;
using TsgbKit.Interactive.Kernel;
using TsgbKit.Jupyter.KernelSpecs;
using TsgbKit.Native;

namespace TsgbKit.Interactive.Commands;

/// <summary>
/// What `tsgb doctor` prints: versions, the CPU, devices, how TorchSharp was loaded, the numerics self-check with
/// every probe, and the kernelspecs Jupyter finds. Healthy when libtorch loaded and a configuration computes right.
/// </summary>
internal sealed class DoctorReport
{
    readonly List<string> _lines = [];

    public bool Healthy { get; private set; } = true;

    public IReadOnlyList<string> Lines => _lines;

    public static DoctorReport Collect()
    {
        var report = new DoctorReport();
        Exception? loadError = null;
        try { TorchNative.EnsureLoaded(); }
        catch (Exception e) { loadError = e; }
        report.Versions(loadError);
        report.Cpu();
        report.SelfCheck(loadError);
        report.KernelSpecs();
        report.Verdict(loadError);
        return report;
    }

    void Section(string title) => _lines.Add(title);
    void Item(string name, string value) => _lines.Add($"  {name,-13} {value}");

    void Versions(Exception? loadError)
    {
        Section("versions");
        Item("tsgb", typeof(DoctorReport).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion ?? "?");
        Item(".NET", $"{RuntimeInformation.FrameworkDescription} ({RuntimeInformation.RuntimeIdentifier})");
        Item("OS", $"{OsName()}, kernel {KernelRelease()} {RuntimeInformation.OSArchitecture}");
        Item("glibc", LibC.GlibcVersion() ?? "not glibc");
        Item("libstdc++", LibStdCxx());
        Item("TorchSharp", typeof(TorchSharp.torch).Assembly.GetName().Version?.ToString(3) ?? "?");
        if (loadError is TorchLoadException)
        {
            Item("libtorch", $"NOT LOADED: {loadError.Message}");
            return;
        }
        var build = LibTorchContext.BuildConfiguration();
        var oneDnn = Regex.Match(build, @"MKL-DNN (v[\d.]+)").Groups[1].Value;
        var blas = Regex.Match(build, @"BLAS_INFO=(\w+)").Groups[1].Value;
        Item("libtorch", $"{LibTorchContext.Version} (oneDNN {oneDnn}, BLAS {blas}); ATen CPU kernels {LibTorchContext.CpuCapability()}; {TorchSharp.torch.get_num_threads()} threads");
        Item("bridge", TorchNative.PatchedCopy is { } copy
            ? $"libLibTorchSharp.so needs GLIBCXX_3.4.32, which this libstdc++ lacks: loaded a copy with that need marked weak, {copy}"
            : "libLibTorchSharp.so loaded as shipped (no libstdc++ workaround needed)");
    }

    void Cpu()
    {
        Section("cpu");
        Item("model", $"{CpuDescription.ModelName} ({CpuDescription.Identity}), {Environment.ProcessorCount} logical CPUs");
        var vector = CpuDescription.Flags.Where(f => f is "sse4_1" or "avx" or "avx2" or "fma" || f.StartsWith("avx512") || f.StartsWith("amx") || f == "avx_vnni");
        Item("vector isa", string.Join(' ', vector));
        Item("caches", Caches());
        Section("devices");
        Item("cpu", "yes");
        Item("cuda", TorchSharp.torch.cuda.is_available() ? $"{TorchSharp.torch.cuda.device_count()} device(s) (the self-check probes the CPU)" : "none (this build uses the CPU libtorch)");
    }

    void SelfCheck(Exception? loadError)
    {
        var requested = Environment.GetEnvironmentVariable(TorchBackend.ConfigurationVariable) ?? "auto";
        var check = Environment.GetEnvironmentVariable(TorchBackend.SelfCheckVariable) ?? "on";
        Section($"numerics self-check ({TorchBackend.ConfigurationVariable}={requested}, {TorchBackend.SelfCheckVariable}={check})");
        if (TorchBackend.Report is not { } report)
        {
            Item("result", $"did not run: {loadError?.Message}");
            return;
        }
        Item("in use", report.Chosen is { } chosen ? $"{chosen.Name}: {chosen.Description}, {report.Mode}" : "NONE: no configuration computes right");
        if (report.Skipped) Item("probes", "skipped: maps are not checked on this CPU");
        foreach (var trial in report.Trials)
        {
            Item(trial.Configuration.Name, trial.NotTried is { } why ? $"not tried: {why}" : trial.Passed ? "right" : "WRONG");
            foreach (var probe in trial.Probes)
                _lines.Add($"      {(probe.Passed ? "ok   " : "FAIL ")} {(probe.Exception is null ? $"{probe.Error:0.0e+0}" : "threw"),-8} {probe.Probe}{(probe.Exception is { } e ? $": {e}" : "")}");
        }
        if (report.Trials.Count > 0) Item("took", $"{report.Elapsed.TotalMilliseconds:0} ms; each probe {TorchBackend.Rounds}× in float32 against float64, tolerance {NumericsProbe.DefaultTolerance:0e+0} of the largest value");
        Item("NNPACK", report.NnpackUnavailable is { } nnpack ? $"off ({nnpack})" : "available");
        Item("remembered", File.Exists(TorchBackend.Faults.Path)
            ? $"{TorchBackend.Faults.Path} (configurations that failed here; delete it to test them again)"
            : "no configuration has failed on this machine");
    }

    void KernelSpecs()
    {
        Section("jupyter kernelspecs");
        var prefixes = PythonPrefix.Find() is { } prefix ? new[] { prefix } : [];
        var specs = KernelSpecStore.List(prefixes);
        if (specs.Count == 0) Item("none", $"run `tsgb kernel install --user` (this build starts as: {string.Join(' ', KernelLauncher.Argv())})");
        foreach (var spec in specs)
        {
            Item(spec.Name, spec.Directory);
            Item("", $"starts: {string.Join(' ', spec.Spec.Argv)}");
        }
    }

    void Verdict(Exception? loadError)
    {
        var chosen = TorchBackend.Report?.Chosen;
        Healthy = loadError is null && chosen is not null;
        _lines.Add(Healthy
            ? $"ok: maps are computed with {chosen!.Name}" + (TorchBackend.Report!.Skipped ? " (unchecked: TSGB_SELF_CHECK=off)" : ", checked against float64 on this CPU")
            : $"FAILED: {loadError?.Message ?? "no libtorch configuration computes right"}");
    }

    static string OsName()
    {
        try
        {
            return File.ReadLines("/etc/os-release").FirstOrDefault(l => l.StartsWith("PRETTY_NAME="))?[12..].Trim('"') ?? "unknown";
        }
        catch (IOException) { return "unknown"; }
    }

    static string KernelRelease()
    {
        try { return File.ReadAllText("/proc/sys/kernel/osrelease").Trim(); }
        catch (IOException) { return "?"; }
    }

    /// <summary>The libstdc++ this process loaded and the newest GLIBCXX version it provides.</summary>
    static string LibStdCxx()
    {
        try
        {
            var path = File.ReadLines("/proc/self/maps").Where(l => l.Contains("libstdc++.so")).Select(l => l[l.IndexOf('/')..]).FirstOrDefault();
            if (path is null) return "not loaded";
            var text = System.Text.Encoding.ASCII.GetString(File.ReadAllBytes(path));
            var newest = Regex.Matches(text, @"GLIBCXX_3\.4\.(\d+)").Select(m => int.Parse(m.Groups[1].Value)).DefaultIfEmpty(0).Max();
            return $"GLIBCXX up to 3.4.{newest} ({path})";
        }
        catch (IOException) { return "unknown"; }
    }

    static string Caches()
    {
        if (Directory.Exists("/sys/devices/system/cpu/cpu0/cache"))
            return "as /sys/devices/system/cpu/cpu0/cache reports: " + string.Join(", ", Directory.GetDirectories("/sys/devices/system/cpu/cpu0/cache", "index*").Order()
                .Select(d => $"L{Read(d, "level")} {Read(d, "type")} {Read(d, "size")}"));
        return $"no /sys/devices/system/cpu/cpu0/cache; getconf: L1d {LibC.SystemConfiguration(190)}, L2 {LibC.SystemConfiguration(193)}, L3 {LibC.SystemConfiguration(194)} bytes (associativity {LibC.SystemConfiguration(195)})";

        static string Read(string folder, string file) => File.Exists(Path.Combine(folder, file)) ? File.ReadAllText(Path.Combine(folder, file)).Trim() : "?";
    }
}
