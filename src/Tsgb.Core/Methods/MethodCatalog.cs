using TsgbKit.Errors;
using TsgbKit.Rules;

namespace TsgbKit.Methods;

/// <summary>Settings a method name can take from the command line or a magic.</summary>
public sealed record MethodOptions
{
    /// <summary>TSGB-FC multiplier m.</summary>
    public double Beta { get; init; } = 1.0;
    /// <summary>Layer for CAM methods and NormGrad (null: the last convolutional block).</summary>
    public string? Layer { get; init; }
    /// <summary>TSGB-Conv only from this layer on.</summary>
    public string? From { get; init; }
    /// <summary>SmoothGrad samples / Integrated Gradients steps.</summary>
    public int? Samples { get; init; }
    /// <summary>The method SmoothGrad and Integrated Gradients wrap (default: gradient).</summary>
    public string? Inner { get; init; }
}

/// <summary>The methods by name: what `tsgb explain --method NAME` and `#!tsgb explain --method NAME` accept.</summary>
public static class MethodCatalog
{
    public static IReadOnlyList<string> Names { get; } =
    [
        "gradient", "input-x-gradient", "guided-backprop", "deconvnet", "tsgb", "tsgb-conv", "tsgb-fc",
        "gradcam", "gradcam++", "guided-gradcam", "normgrad", "normgrad-selective", "smoothgrad", "integrated-gradients",
    ];

    /// <summary>Methods whose maps are blurred before the pointing game (as TorchRay does).</summary>
    public static bool IsGradientLike(string name) => name is "gradient" or "deconvnet" or "guided-backprop";

    public static SaliencyMethod Create(string name, MethodOptions? options = null)
    {
        options ??= new MethodOptions();
        Composite Conv() => options.From is null ? Tsgb.Conv : Tsgb.Conv.From(options.From);
        Composite Fc() => Tsgb.Fc.Beta(options.Beta);
        return name.Trim().ToLowerInvariant() switch
        {
            "gradient" or "saliency" => new Gradient(),
            "input-x-gradient" or "inputxgradient" => new InputXGradient(),
            "guided-backprop" or "guided" => new GuidedBackprop(),
            "deconvnet" or "deconv" => new Deconvnet(),
            "tsgb" => new TsgbMethod(Conv().And(Fc()), "tsgb"),
            "tsgb-conv" => new TsgbMethod(Conv(), "tsgb-conv"),
            "tsgb-fc" => new TsgbMethod(Fc(), "tsgb-fc"),
            "gradcam" or "grad-cam" => new GradCam(options.Layer),
            "gradcam++" or "grad-cam++" or "gradcampp" => new GradCamPlusPlus(options.Layer),
            "guided-gradcam" => new GuidedGradCam(options.Layer),
            "normgrad" => new NormGrad(options.Layer),
            "normgrad-selective" => new NormGrad(options.Layer, selective: true),
            "smoothgrad" => new SmoothGrad(Create(options.Inner ?? "gradient", options with { Inner = null }), options.Samples ?? 25),
            "integrated-gradients" or "ig" => new IntegratedGradients(
                Create(options.Inner ?? "gradient", options with { Inner = null }) as InputGradientMethod
                    ?? throw new TsgbInputException($"integrated-gradients wraps input-gradient methods (gradient, guided-backprop, deconvnet, tsgb…), not '{options.Inner}'"),
                options.Samples ?? 32),
            _ => throw new TsgbInputException($"unknown method '{name}'; known methods: {string.Join(", ", Names)}"),
        };
    }
}
