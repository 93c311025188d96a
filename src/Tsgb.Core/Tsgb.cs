using TorchSharp.Modules;
using TsgbKit.Explain;
using TsgbKit.Rules;

/// <summary>
/// The entry point of the fluent API: <c>model.Explain(img).For("dog").With(Tsgb.Conv.And(Tsgb.Fc))</c>.
/// It lives in the global namespace so that <c>Tsgb.Conv</c> reads the same in notebooks, scripts and programs.
/// </summary>
public static class Tsgb
{
    /// <summary>TSGB-Conv: the rectified rule on every Conv2d, with TSGB's BatchNorm2d and AvgPool2d rules.</summary>
    public static Composite Conv { get; } = new("tsgb-conv",
        new Composite.Entry(new TsgbConvRule(), LayerSelector.All),
        new Composite.Entry(new TsgbBatchNormRule(), LayerSelector.All),
        new Composite.Entry(new TsgbAvgPoolRule(), LayerSelector.All));

    /// <summary>TSGB-FC on the last Linear layer (β multiplier 1; change it with <c>Tsgb.Fc.Beta(0.8)</c>).</summary>
    public static Composite Fc { get; } = new("tsgb-fc",
        new Composite.Entry(new TsgbFcRule(), LayerSelector.LastOfType<Linear>()));

    /// <summary>Guided backpropagation's ReLU rule on every ReLU.</summary>
    public static Composite Guided { get; } = new("guided-backprop", new Composite.Entry(new GuidedReluRule(), LayerSelector.All));

    /// <summary>Deconvnet's ReLU rule on every ReLU.</summary>
    public static Composite Deconv { get; } = new("deconvnet", new Composite.Entry(new DeconvReluRule(), LayerSelector.All));

    /// <summary>No rule: the plain gradient.</summary>
    public static Composite Gradient => Composite.None;

    /// <summary>The k best-scoring classes as targets: <c>.For(Tsgb.Top(3))</c>.</summary>
    public static TopTargets Top(int k) => new(k);
}
