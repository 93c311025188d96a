namespace TsgbKit.Cli.Tests;

/// <summary>`tsgb doctor` and `--verbose`: what the numerics self-check chose, said up front.</summary>
public class DoctorTests
{
    static readonly Dictionary<string, string?> Auto = new() { ["TSGB_TORCH_BACKEND"] = null, ["TSGB_SELF_CHECK"] = null };

    [Fact]
    public void DoctorSaysWhatRunsAndWhatTheSelfCheckChose()
    {
        var run = TsgbProcess.RunWith(Auto, "doctor");

        Assert.True(run.ExitCode == 0, run.Stdout + run.Stderr);
        Assert.Equal("", run.Stderr); // nothing from libtorch either
        foreach (var expected in new[] { "TorchSharp    0.107", "libtorch      2.10", "glibc", "libstdc++", "cpu", "model", "vector isa",
                     "cuda", "numerics self-check (TSGB_TORCH_BACKEND=auto", "in use", "NNPACK", "jupyter kernelspecs" })
            Assert.Contains(expected, run.Stdout);
        var lines = run.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        var chosen = lines.Single(l => l.StartsWith("  in use")).Split(':')[0]["  in use".Length..].Trim();
        Assert.Contains(chosen, new[] { "onednn", "no-onednn", "onednn-sse41" });
        Assert.Contains($"  {chosen,-13} right", run.Stdout); // the chosen configuration's probes all passed…
        Assert.Equal(14, lines.Count(l => l.TrimStart().StartsWith("ok "))); // …and each is listed
        Assert.Equal($"ok: maps are computed with {chosen}, checked against float64 on this CPU", lines[^1]);
    }

    [Fact]
    public void AForcedConfigurationIsProbedAndSaidSo()
    {
        var run = TsgbProcess.RunWith(new() { ["TSGB_TORCH_BACKEND"] = "no-onednn", ["TSGB_SELF_CHECK"] = null }, "doctor");

        Assert.True(run.ExitCode == 0, run.Stdout + run.Stderr);
        Assert.Contains("in use        no-onednn: oneDNN off (ATen's own kernels and BLAS), forced by TSGB_TORCH_BACKEND", run.Stdout);
        Assert.Contains("  no-onednn     right", run.Stdout);
    }

    [Fact]
    public void ASkippedSelfCheckIsNotPassedOffAsChecked()
    {
        var run = TsgbProcess.RunWith(new() { ["TSGB_TORCH_BACKEND"] = "no-onednn", ["TSGB_SELF_CHECK"] = "off" }, "doctor");

        Assert.True(run.ExitCode == 0, run.Stdout + run.Stderr);
        Assert.Contains("skipped: maps are not checked on this CPU", run.Stdout);
        Assert.EndsWith("ok: maps are computed with no-onednn (unchecked: TSGB_SELF_CHECK=off)", run.Stdout.TrimEnd());
    }

    [Fact]
    public void DoctorExitsNonZeroWhenNoConfigurationCanBeTrusted()
    {
        var run = TsgbProcess.RunWith(new() { ["TSGB_TORCH_BACKEND"] = "mkl", ["TSGB_SELF_CHECK"] = null }, "doctor");

        Assert.Equal(1, run.ExitCode);
        Assert.Contains("FAILED: TSGB_TORCH_BACKEND=mkl: unknown configuration", run.Stdout);
    }

    [Fact]
    public void EveryCommandRefusesWhileTheConfigurationCannotBeTrusted()
    {
        var run = TsgbProcess.RunWith(new() { ["TSGB_TORCH_BACKEND"] = "mkl", ["TSGB_SELF_CHECK"] = null },
            "explain", "--model", "scene-vgg", "--scene", "1", "--out", Weights.Temp("refused.npy"));

        Assert.Equal(2, run.ExitCode);
        Assert.Single(run.Stderr.Trim().Split('\n'));
        Assert.StartsWith("error: TSGB_TORCH_BACKEND=mkl: unknown configuration", run.Stderr);
        Assert.False(File.Exists(Weights.Temp("refused.npy")));
    }

    [Fact]
    public void VerboseSaysTheConfigurationInOneLineOnStderr()
    {
        var run = TsgbProcess.RunWith(Auto, "model", "--list", "--verbose");

        Assert.True(run.ExitCode == 0, run.Stderr);
        var line = Assert.Single(run.Stderr.Trim().Split('\n'));
        Assert.StartsWith("tsgb: libtorch CPU: ", line);
        Assert.Contains("chosen by the self-check; 14 probes within", line);
        Assert.Contains("demo models", run.Stdout);
    }
}
