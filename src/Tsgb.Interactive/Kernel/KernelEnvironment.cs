namespace TsgbKit.Interactive.Kernel;

/// <summary>What every cell of the C# (Tsgb) kernel can use without a directive: imports and referenced assemblies.</summary>
public static class KernelEnvironment
{
    /// <summary>The imports of every cell, the first execute included.</summary>
    public static IReadOnlyList<string> Usings { get; } =
    [
        "System", "System.IO", "System.Linq", "System.Collections.Generic", "System.Threading.Tasks",
        "static TorchSharp.torch", "TorchSharp", "Microsoft.Data.Analysis",
        "TsgbKit.Models", "TsgbKit.Explain", "TsgbKit.Methods", "TsgbKit.Rules", "TsgbKit.Imaging", "TsgbKit.Synthetic",
        "TsgbKit.Metrics", "TsgbKit.Demo", "TsgbKit.Labels", "TsgbKit.Weights", "TsgbKit.Tensors", "TsgbKit.Engine",
        "TsgbKit.Training", "TsgbKit.Evaluation",
    ];

    /// <summary>
    /// Tsgb.Core (which also holds the global <c>Tsgb</c> fluent entry point), TorchSharp, Microsoft.Data.Analysis,
    /// XPlot.Plotly and SkiaSharp (RgbImage.ToBitmap), as files: the kernel does not load them to reference them
    /// (loading TorchSharp or Tsgb.Core is what loads libtorch, see <see cref="LazyTorch"/>). The interpreter adds
    /// the framework and its own.
    /// </summary>
    public static IReadOnlyList<string> ReferencePaths { get; } =
        new[] { "Tsgb.Core", "TorchSharp", "Microsoft.Data.Analysis", "XPlot.Plotly", "SkiaSharp" }
            .Select(name => Path.Combine(AppContext.BaseDirectory, name + ".dll")).ToList();
}
