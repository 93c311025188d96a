using System.Collections;

namespace TsgbKit.Explain;

/// <summary>Explanations of one image for several targets (one batched pass), in the order asked.</summary>
public sealed class ExplanationSet(IReadOnlyList<Explanation> items) : IReadOnlyList<Explanation>
{
    public Explanation this[int index] => items[index];
    public int Count => items.Count;
    public IEnumerator<Explanation> GetEnumerator() => items.GetEnumerator();
    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    /// <summary>The explanation of a target by its label.</summary>
    public Explanation this[string targetName] =>
        items.FirstOrDefault(e => e.TargetName == targetName)
        ?? throw new KeyNotFoundException($"no explanation for '{targetName}'; targets are: {string.Join(", ", items.Select(e => e.TargetName))}");

    public override string ToString() => string.Join(Environment.NewLine, items);
}
