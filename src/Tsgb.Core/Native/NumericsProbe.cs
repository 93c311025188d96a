using System.Runtime.InteropServices;
using static TorchSharp.torch;

namespace TsgbKit.Native;

/// <summary>
/// One small computation run in float32 and again in float64 on the same values (float32 widens exactly), with
/// the error of the float32 result relative to the float64 one's largest magnitude. Correct kernels stay near
/// 1e-6; the faulty ones seen so far were off by 0.3 or more.
/// </summary>
public sealed class NumericsProbe(string name, Func<Generator, Device, double> measure, double tolerance = NumericsProbe.DefaultTolerance)
{
    public const double DefaultTolerance = 1e-4;

    /// <summary>What the probe computes, as the error message and the doctor name it.</summary>
    public string Name { get; } = name;

    public double Tolerance { get; } = tolerance;

    /// <summary>Runs the probe once with fresh values from <paramref name="generator"/>; native memory is released.</summary>
    public ProbeResult Run(Generator generator, Device device)
    {
        using var scope = NewDisposeScope();
        double error;
        try { error = measure(generator, device); }
        catch (Exception e) when (e is ExternalException or InvalidOperationException or ArgumentException)
        {
            return new ProbeResult(Name, double.NaN, Tolerance, e.Message.Split('\n')[0]);
        }
        return new ProbeResult(Name, error, Tolerance, null);
    }

    /// <summary>max |a − reference| / max |reference|, computed in float64.</summary>
    public static double RelativeError(Tensor a, Tensor reference)
    {
        var difference = (a.to(ScalarType.Float64) - reference).abs().max().item<double>();
        var scale = reference.abs().max().item<double>();
        return difference / Math.Max(scale, 1e-30);
    }

    public override string ToString() => Name;
}

/// <summary>A probe's outcome: its error against float64, or the exception libtorch threw.</summary>
public sealed record ProbeResult(string Probe, double Error, double Tolerance, string? Exception)
{
    public bool Passed => Exception is null && Error <= Tolerance; // NaN fails

    public override string ToString() => Exception is not null
        ? $"{Probe}: threw {Exception}"
        : $"{Probe}: relative error {Error:0.0e+0} ({(Passed ? "ok" : $"over {Tolerance:0e+0}")})";
}
