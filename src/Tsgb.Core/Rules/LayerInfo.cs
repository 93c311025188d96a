using TorchSharp;

namespace TsgbKit.Rules;

/// <summary>A layer as selectors see it: its dotted name, the module, and its place among the model's layers (forward order when the engine builds them).</summary>
public sealed record LayerInfo(string Name, torch.nn.Module Module, int Index, IReadOnlyList<LayerInfo> All)
{
    /// <summary>The module's type name, e.g. "Conv2d".</summary>
    public string Type => Module.GetType().Name;
}
