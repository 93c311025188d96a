using static TorchSharp.torch;

namespace TsgbKit.Methods;

/// <summary>How an input gradient (B×3×H×W) becomes a map (B×H×W).</summary>
public enum MapReduction
{
    /// <summary>max over channels of |g|, as TorchRay shows gradient, deconvnet and guided backprop.</summary>
    AbsMax,
    /// <summary>Σ_c x_c ⊙ g_c (signed): input × gradient, and the TSGB map.</summary>
    InputTimesGradient,
}

internal static class MapReductions
{
    public static Tensor Apply(MapReduction reduction, Tensor inputs, Tensor gradient) => reduction switch
    {
        MapReduction.AbsMax => gradient.abs().amax(1),
        MapReduction.InputTimesGradient => (inputs * gradient).sum(1),
        _ => throw new ArgumentOutOfRangeException(nameof(reduction)),
    };
}
