using TsgbKit.Native;
using static TorchSharp.torch;

namespace TsgbKit.Tests.Native;

/// <summary>The self-check as it ran in this process, on this machine's CPU.</summary>
public class SelfCheckTests
{
    public SelfCheckTests() => TorchNative.EnsureLoaded();

    [Fact]
    public void AConfigurationWasChosenAndIsTheOneInEffect()
    {
        var report = TorchBackend.Report!;
        Assert.NotNull(report.Chosen);
        Assert.Equal(report.Chosen!.OneDnn, LibTorchContext.OneDnnEnabled);
        Assert.Contains($"[{report.Chosen.Name}]", TorchBackend.Summary);
    }

    [Fact]
    public void EveryProbePassesInTheChosenConfiguration()
    {
        using var generator = new Generator(seed: 7);
        foreach (var probe in NumericsProbes.All)
            for (int round = 0; round < 3; round++)
            {
                var result = probe.Run(generator, CPU);
                Assert.True(result.Passed, $"{result} under {TorchBackend.Report!.Chosen}");
            }
    }

    [Fact]
    public void NnpackIsOffWhereItCannotStart()
    {
        var reason = LibTorchContext.NnpackUnavailableReason();
        Assert.Equal(reason, TorchBackend.Report!.NnpackUnavailable);
        if (reason is not null) Assert.False(LibTorchContext.NnpackEnabled);
    }

    [Fact]
    public void ProbesDetectAWrongKernel()
    {
        // the measure itself: a float32 result off by 1 % of the maximum is caught, a rounding error is not
        using var generator = new Generator(seed: 3);
        var wrong = new NumericsProbe("scaled", (g, _) =>
        {
            var x = randn([64], generator: g);
            return NumericsProbe.RelativeError(x * 1.01f, x.to(ScalarType.Float64));
        }).Run(generator, CPU);
        Assert.False(wrong.Passed);
        Assert.InRange(wrong.Error, 0.009, 0.011);
        var rounding = new NumericsProbe("rounded", (g, _) =>
        {
            var x = randn([64], generator: g, dtype: ScalarType.Float64);
            return NumericsProbe.RelativeError(x.to(ScalarType.Float32), x);
        }).Run(generator, CPU);
        Assert.True(rounding.Passed, rounding.ToString());
    }

    [Fact]
    public void LibTorchDescribesItsBuild()
    {
        Assert.Contains("MKL-DNN", LibTorchContext.BuildConfiguration());
        Assert.Matches(@"^\d+\.\d+", LibTorchContext.Version);
        Assert.Contains(LibTorchContext.CpuCapability(), new[] { "DEFAULT", "AVX2", "AVX512", "ZVECTOR", "VSX", "SVE256" });
    }
}
