namespace TsgbKit.Synthetic;

/// <summary>
/// An axis-aligned pixel box. <see cref="Left"/>/<see cref="Top"/> are inclusive, <see cref="Right"/>/<see cref="Bottom"/>
/// exclusive, so a box holding only pixel (x, y) is (x, y, x + 1, y + 1).
/// </summary>
public readonly record struct Box(int Left, int Top, int Right, int Bottom)
{
    public int Width => Math.Max(0, Right - Left);
    public int Height => Math.Max(0, Bottom - Top);
    public int Area => Width * Height;
    public bool IsEmpty => Width == 0 || Height == 0;

    /// <summary>Whether pixel (x, y) lies inside the box.</summary>
    public bool Contains(int x, int y) => x >= Left && x < Right && y >= Top && y < Bottom;

    /// <summary>The smallest box holding both boxes (an empty box is ignored).</summary>
    public Box Union(Box other) =>
        IsEmpty ? other : other.IsEmpty ? this
        : new Box(Math.Min(Left, other.Left), Math.Min(Top, other.Top), Math.Max(Right, other.Right), Math.Max(Bottom, other.Bottom));

    public override string ToString() => $"[{Left},{Top})-[{Right},{Bottom})";
}
