using System.Globalization;
using TsgbKit.Errors;

namespace TsgbKit.Datasets;

/// <summary>
/// A deterministic slice of a dataset: shard i of n holds the images whose index ≡ i (mod n) (round robin, so every
/// shard gets a similar mix). Shards of one n are disjoint and together hold every image.
/// </summary>
public readonly record struct Shard(int Index, int Count)
{
    public static Shard All => new(0, 1);

    public bool Contains(int imageIndex) => imageIndex % Count == Index;

    /// <summary>Parses "i/n" (0 ≤ i &lt; n).</summary>
    public static Shard Parse(string text)
    {
        var parts = text.Split('/');
        if (parts.Length != 2 || !int.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out var i)
            || !int.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out var n) || n < 1 || i >= n)
            throw new TsgbInputException($"--shard '{text}': give i/n with 0 ≤ i < n, e.g. 0/4");
        return new Shard(i, n);
    }

    public override string ToString() => $"{Index}/{Count}";
}
