using static TorchSharp.torch;

namespace TsgbKit.Engine;

/// <summary>
/// One call of a hooked layer during an attribution's forward pass, in forward order, with what the backward
/// pass delivered at its output.
/// </summary>
public sealed class LayerRecord(string name, string type, string rule, int order)
{
    public string Name { get; } = name;
    public string Type { get; } = type;
    /// <summary>The rule applied there ("gradient" where the plain gradient passed).</summary>
    public string Rule { get; } = rule;
    /// <summary>Position in the forward pass.</summary>
    public int Order { get; } = order;

    /// <summary>The layer's output as the forward produced it.</summary>
    internal Tensor? Output { get; set; }

    /// <summary>The gradient that arrived at the output (set during the backward pass).</summary>
    internal Tensor? Gradient { get; set; }
}
