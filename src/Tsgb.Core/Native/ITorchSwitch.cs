using TsgbKit.Errors;

namespace TsgbKit.Native;

/// <summary>Applies a configuration to libtorch; the self-check's selection logic sees libtorch only through this.</summary>
internal interface ITorchSwitch
{
    /// <summary>Why the configuration cannot be applied in this process any more, or null when it can.</summary>
    string? CannotApply(TorchConfiguration configuration);

    void Apply(TorchConfiguration configuration);
}

/// <summary>The real switch: ATen's oneDNN flag, and DNNL_MAX_CPU_ISA while oneDNN has not run yet.</summary>
/// <param name="isaFromEnvironment">DNNL_MAX_CPU_ISA as the process started with it</param>
/// <param name="oneDnnUsed">whether oneDNN may already have run in this process</param>
internal sealed class LibTorchSwitch(string? isaFromEnvironment, bool oneDnnUsed = false) : ITorchSwitch
{
    // oneDNN reads its ISA cap once, at its first use; after that the process keeps what it read.
    string? _isaInEffect = isaFromEnvironment;
    bool _oneDnnUsed = oneDnnUsed;

    public string? CannotApply(TorchConfiguration configuration) =>
        configuration.OneDnn && _oneDnnUsed && !string.Equals(configuration.IsaCap, _isaInEffect, StringComparison.OrdinalIgnoreCase)
            ? $"oneDNN reads DNNL_MAX_CPU_ISA at its first use, which this process is past; start with TSGB_TORCH_BACKEND={configuration.Name}"
            : null;

    public void Apply(TorchConfiguration configuration)
    {
        if (configuration.OneDnn && !_oneDnnUsed && !string.Equals(configuration.IsaCap, _isaInEffect, StringComparison.OrdinalIgnoreCase))
        {
            if (configuration.IsaCap is null)
                throw new TsgbStateException($"DNNL_MAX_CPU_ISA={_isaInEffect} is set in the environment; unset it to run {configuration.Name}");
            LibC.SetEnvironmentVariable("DNNL_MAX_CPU_ISA", configuration.IsaCap);
            _isaInEffect = configuration.IsaCap;
        }
        LibTorchContext.OneDnnEnabled = configuration.OneDnn;
        _oneDnnUsed |= configuration.OneDnn;
    }
}
