using TsgbKit.Errors;
using TsgbKit.Native;
using static TorchSharp.torch;

namespace TsgbKit.Tests.Native;

/// <summary>The self-check's choice, with probes that fail on purpose in chosen configurations (no libtorch state changes).</summary>
public class BackendSelectionTests : IDisposable
{
    readonly string _folder = Path.Combine(Path.GetTempPath(), "tsgb-selfcheck-" + Guid.NewGuid().ToString("N"));
    KnownFaults Memory => new(Path.Combine(_folder, "faults.tsv"));

    public BackendSelectionTests() => TorchNative.EnsureLoaded();

    public void Dispose()
    {
        if (Directory.Exists(_folder)) Directory.Delete(_folder, recursive: true);
    }

    /// <summary>Records what was applied; applies nothing to libtorch.</summary>
    sealed class RecordingSwitch(Func<TorchConfiguration, string?>? cannotApply = null) : ITorchSwitch
    {
        public List<TorchConfiguration> Applied { get; } = [];
        public TorchConfiguration? Current => Applied.LastOrDefault();
        public string? CannotApply(TorchConfiguration configuration) => cannotApply?.Invoke(configuration);
        public void Apply(TorchConfiguration configuration) => Applied.Add(configuration);
    }

    /// <summary>A probe that is wrong (error 0.3) while <paramref name="broken"/> holds for the switch's configuration.</summary>
    static NumericsProbe WrongWhen(RecordingSwitch torch, Func<TorchConfiguration, bool> broken, string name = "injected probe") =>
        new(name, (_, _) => broken(torch.Current!) ? 0.3 : 1e-7);

    static NumericsProbe Right(string name = "right probe") => new(name, (_, _) => 1e-7);

    static readonly TorchConfiguration[] Candidates = [TorchConfiguration.OneDnnFull, TorchConfiguration.NoOneDnn, TorchConfiguration.OneDnnSse41];

    [Fact]
    public void AFailingProbeMovesToTheNextConfigurationAndIsRemembered()
    {
        var torch = new RecordingSwitch();
        var probes = new[] { Right("first"), WrongWhen(torch, c => c.OneDnn), Right("last") };

        var report = BackendSelection.Choose(Candidates, probes, rounds: 2, torch, Memory, "test", null);

        Assert.Equal(TorchConfiguration.NoOneDnn, report.Chosen);
        Assert.Equal([TorchConfiguration.OneDnnFull, TorchConfiguration.NoOneDnn], torch.Applied);
        var rejected = report.Trials[0];
        Assert.False(rejected.Passed);
        Assert.Equal("injected probe", rejected.Failure!.Probe);
        Assert.Equal(2, rejected.Probes.Count); // "last" is not run in a configuration already rejected
        Assert.Equal(3, report.Trials[1].Probes.Count);
        Assert.Contains("injected probe", report.Summary);
        Assert.Contains("[no-onednn]", report.Summary);
        Assert.Contains("injected probe", Memory.Find(TorchConfiguration.OneDnnFull));
        Assert.Null(Memory.Find(TorchConfiguration.NoOneDnn));
    }

    [Fact]
    public void AConfigurationThatFailedHereBeforeIsNotTriedAgain()
    {
        var first = new RecordingSwitch();
        BackendSelection.Choose(Candidates, [WrongWhen(first, c => c.OneDnn && c.IsaCap is null)], 1, first, Memory, "test", null);

        var second = new RecordingSwitch();
        var report = BackendSelection.Choose(Candidates, [Right()], 1, second, Memory, "test", null);

        Assert.Equal(TorchConfiguration.NoOneDnn, report.Chosen);
        Assert.DoesNotContain(TorchConfiguration.OneDnnFull, second.Applied); // even though it would pass now
        Assert.Contains("failed injected probe", report.Trials[0].NotTried);
        Assert.Contains(Memory.Path, report.Trials[0].NotTried);
    }

    [Fact]
    public void AFaultThatShowsOnlyInALaterRoundStillRejects()
    {
        var torch = new RecordingSwitch();
        int calls = 0;
        var flaky = new NumericsProbe("flaky", (_, _) => torch.Current!.OneDnn && ++calls == 3 ? 0.4 : 1e-7);

        var report = BackendSelection.Choose(Candidates, [flaky], rounds: 3, torch, null, "test", null);

        Assert.Equal(TorchConfiguration.NoOneDnn, report.Chosen);
        Assert.Equal(0.4, report.Trials[0].Failure!.Error);
    }

    [Fact]
    public void WhenNothingComputesRightTheErrorNamesTheProbe()
    {
        var torch = new RecordingSwitch();
        var report = BackendSelection.Choose(Candidates, [Right(), WrongWhen(torch, _ => true, "conv2d 3→16")], 1, torch, Memory, "test", null);

        Assert.Null(report.Chosen);
        Assert.Equal(3, torch.Applied.Count);
        var error = new TorchNumericsException(report);
        Assert.Contains("conv2d 3→16", error.Message);
        Assert.Contains("onednn-sse41", error.Message);
        Assert.Contains("TSGB_TORCH_BACKEND", error.Message);
        Assert.DoesNotContain('\n', error.Message); // one line for the CLI's error contract
    }

    [Fact]
    public void AProbeThatThrowsFails()
    {
        var torch = new RecordingSwitch();
        var throwing = new NumericsProbe("throws", (_, _) => torch.Current!.OneDnn ? throw new InvalidOperationException("kernel said no\nmore") : 1e-7);

        var report = BackendSelection.Choose(Candidates, [throwing], 1, torch, null, "test", null);

        Assert.Equal(TorchConfiguration.NoOneDnn, report.Chosen);
        Assert.Equal("kernel said no", report.Trials[0].Failure!.Exception);
    }

    [Fact]
    public void AForcedConfigurationIgnoresAndKeepsNoMemory()
    {
        Memory.Remember(TorchConfiguration.OneDnnFull, new ProbeResult("old fault", 0.5, 1e-4, null));
        var torch = new RecordingSwitch();

        var passing = BackendSelection.Choose([TorchConfiguration.OneDnnFull], [Right()], 1, torch, Memory, "forced", null, forced: true);
        Assert.Equal(TorchConfiguration.OneDnnFull, passing.Chosen);

        var failing = BackendSelection.Choose([TorchConfiguration.NoOneDnn], [WrongWhen(torch, _ => true)], 1, torch, Memory, "forced", null, forced: true);
        Assert.Null(failing.Chosen);
        Assert.Null(Memory.Find(TorchConfiguration.NoOneDnn));
    }

    [Fact]
    public void AnIsaCapIsSkippedOnceOneDnnHasRun()
    {
        var used = new LibTorchSwitch(isaFromEnvironment: null, oneDnnUsed: true);
        Assert.Contains("TSGB_TORCH_BACKEND=onednn-sse41", used.CannotApply(TorchConfiguration.OneDnnSse41));
        Assert.Null(used.CannotApply(TorchConfiguration.OneDnnFull));
        Assert.Null(used.CannotApply(TorchConfiguration.NoOneDnn));
        Assert.Null(new LibTorchSwitch(null, oneDnnUsed: false).CannotApply(TorchConfiguration.OneDnnSse41));
        Assert.Null(new LibTorchSwitch("SSE41", oneDnnUsed: true).CannotApply(TorchConfiguration.OneDnnSse41));

        // the selection passes such a configuration by and says why
        var torch = new RecordingSwitch(c => c.IsaCap is null ? null : "too late");
        var report = BackendSelection.Choose([TorchConfiguration.OneDnnSse41, TorchConfiguration.NoOneDnn], [Right()], 1, torch, null, "test", null);
        Assert.Equal(TorchConfiguration.NoOneDnn, report.Chosen);
        Assert.Equal("too late", report.Trials[0].NotTried);
    }

    [Theory]
    [InlineData("onednn", "onednn", true, null)]
    [InlineData(" No-OneDNN ", "no-onednn", false, null)]
    [InlineData("onednn-avx2", "onednn-avx2", true, "AVX2")]
    [InlineData("ONEDNN-SSE41", "onednn-sse41", true, "SSE41")]
    public void ConfigurationNamesParse(string text, string name, bool oneDnn, string? isa)
    {
        var configuration = TorchConfiguration.Parse(text);
        Assert.Equal((name, oneDnn, isa), (configuration.Name, configuration.OneDnn, configuration.IsaCap));
    }

    [Fact]
    public void AnUnknownConfigurationNameIsRefusedWithTheChoices()
    {
        var error = Assert.Throws<TsgbInputException>(() => TorchConfiguration.Parse("mkl"));
        Assert.Contains("TSGB_TORCH_BACKEND=mkl", error.Message);
        Assert.Contains("no-onednn", error.Message);
    }
}
