using TsgbKit.Errors;

namespace TsgbKit.Synthetic;

/// <summary>How scenes are generated. Defaults give the standard Tsgb demo task (112×112, 1–3 objects, clutter).</summary>
public sealed record SceneOptions
{
    /// <summary>The default options.</summary>
    public static SceneOptions Default { get; } = new();

    /// <summary>Image width in pixels (default 112).</summary>
    public int Width { get; init; } = 112;

    /// <summary>Image height in pixels (default 112).</summary>
    public int Height { get; init; } = 112;

    /// <summary>Fewest objects per scene (default 1).</summary>
    public int MinObjects { get; init; } = 1;

    /// <summary>Most objects per scene (default 3, at most the number of classes: a class appears at most once).</summary>
    public int MaxObjects { get; init; } = 3;

    /// <summary>Smallest object diameter as a fraction of the shorter image side (default 0.18).</summary>
    public double MinSize { get; init; } = 0.18;

    /// <summary>Largest object diameter as a fraction of the shorter image side (default 0.45).</summary>
    public double MaxSize { get; init; } = 0.45;

    /// <summary>Each object keeps at least this share of its own pixels visible after later objects cover it (default 0.6).</summary>
    public double MinVisibleFraction { get; init; } = 0.6;

    /// <summary>When false the background is one flat colour with no blobs, strokes or noise (for debugging and tests).</summary>
    public bool Clutter { get; init; } = true;

    /// <summary>Largest number of distractor strokes (lines and curves) when <see cref="Clutter"/> is on (default 6).</summary>
    public int MaxDistractors { get; init; } = 6;

    /// <summary>Amplitude of the uniform per-pixel noise added over the whole image when <see cref="Clutter"/> is on (default 12 of 255).</summary>
    public int NoiseAmplitude { get; init; } = 12;

    internal void Validate()
    {
        if (Width < 16 || Height < 16) throw new TsgbInputException("Scenes must be at least 16×16.");
        if (MinObjects < 1 || MaxObjects < MinObjects || MaxObjects > SceneClasses.Count)
            throw new TsgbInputException($"Need 1 ≤ MinObjects ≤ MaxObjects ≤ {SceneClasses.Count}.");
        if (MinSize <= 0 || MaxSize < MinSize || MaxSize > 1)
            throw new TsgbInputException("Need 0 < MinSize ≤ MaxSize ≤ 1.");
        if (MinVisibleFraction < 0 || MinVisibleFraction > 1)
            throw new TsgbInputException("Need 0 ≤ MinVisibleFraction ≤ 1.");
        if (MaxDistractors < 0 || NoiseAmplitude < 0) throw new TsgbInputException("MaxDistractors and NoiseAmplitude cannot be negative.");
    }
}
