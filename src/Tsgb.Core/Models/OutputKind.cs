namespace TsgbKit.Models;

/// <summary>How a classifier's logits become probabilities.</summary>
public enum OutputKind
{
    /// <summary>Single-label (ImageNet): softmax over classes.</summary>
    Softmax,
    /// <summary>Multi-label (the demo scene models): an independent sigmoid per class.</summary>
    Sigmoid,
}
