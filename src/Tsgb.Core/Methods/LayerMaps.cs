using static TorchSharp.torch;
using TsgbKit.Errors;

namespace TsgbKit.Methods;

/// <summary>Helpers shared by the methods that read a layer's activation A and gradient G.</summary>
internal static class LayerMaps
{
    /// <summary>B×h×w maps to B×H×W by bilinear interpolation (align_corners = false, as PyTorch's default).</summary>
    public static Tensor Upsample(Tensor maps, long height, long width)
    {
        if (maps.shape[1] == height && maps.shape[2] == width) return maps;
        return nn.functional.interpolate(maps.unsqueeze(1), [height, width], mode: InterpolationMode.Bilinear, align_corners: false).squeeze(1);
    }

    /// <summary>Per-map min–max normalisation to [0, 1]; a constant map becomes 0.</summary>
    public static Tensor MinMax(Tensor maps)
    {
        var flat = maps.flatten(1);
        var min = flat.amin([1], keepdim: true);
        var range = flat.amax([1], keepdim: true) - min;
        var normalized = where(range > 0, (flat - min) / range.clamp_min(1e-30), zeros_like(flat));
        return normalized.view(maps.shape);
    }

    public static void RequireSpatial(string layer, Tensor activation)
    {
        if (activation.dim() != 4)
            throw new TsgbInputException($"layer '{layer}' outputs a tensor of shape {string.Join("×", activation.shape)}; this method needs a convolutional layer (N×K×h×w)");
    }
}
