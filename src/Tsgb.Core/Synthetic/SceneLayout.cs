using SkiaSharp;

namespace TsgbKit.Synthetic;

/// <summary>Fill texture of an object.</summary>
internal enum Texture { Solid, Stripes, Dots, Gradient, Checker }

/// <summary>One object's drawing decisions; <see cref="Shape"/> is its full (unoccluded) rasterized silhouette.</summary>
internal sealed record ObjectSpec(
    int ClassIndex, float CenterX, float CenterY, float Radius, float Rotation, float ShapeParam,
    Texture Texture, SKColor Color1, SKColor Color2, float TextureAngle, float TexturePeriod,
    SKColor? Outline, bool[] Shape, int ShapeArea);

internal sealed record Blob(SKPoint[] Points, SKColor Color);

internal enum StrokeKind { Line, Quad, Cubic, Arc }

internal sealed record Stroke(StrokeKind Kind, SKPoint[] Points, float Width, SKColor Color, float StartAngle, float SweepAngle);

/// <summary>
/// Every random decision of one scene. Rendering is a pure function of the layout, so a scene can be re-rendered with one
/// object left out (see <see cref="SceneRenderer.Render"/>), which the tests use to check masks against pixels.
/// </summary>
internal sealed class SceneLayout
{
    public required int Width { get; init; }
    public required int Height { get; init; }
    public required SKColor Background0 { get; init; }
    public required SKColor Background1 { get; init; }
    public required SKPoint GradientStart { get; init; }
    public required SKPoint GradientEnd { get; init; }
    public required IReadOnlyList<Blob> Blobs { get; init; }
    public required IReadOnlyList<Stroke> Strokes { get; init; }
    public required ulong NoiseSeed { get; init; }
    public required int NoiseAmplitude { get; init; }
    public required IReadOnlyList<ObjectSpec> Objects { get; init; }
}
