using System.Collections;
using TsgbKit.Errors;

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
        ?? throw new TsgbInputException($"no explanation for '{targetName}'; targets are: {string.Join(", ", items.Select(e => e.TargetName))}");

    /// <summary>All explanations as one titled grid image.</summary>
    public Imaging.RgbImage Grid(int? columns = null, Imaging.Colormap? colormap = null) => ExplanationGrid.Render(items, columns, colormap);

    /// <summary>The grid as PNG bytes.</summary>
    public byte[] ToPng(int? columns = null) => Grid(columns).ToPng();

    public override string ToString() => string.Join(Environment.NewLine, items);
}
