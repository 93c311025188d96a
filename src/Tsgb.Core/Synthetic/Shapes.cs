using SkiaSharp;

namespace TsgbKit.Synthetic;

/// <summary>Outlines of the shape classes, and their rasterization into exact (non-antialiased) silhouettes.</summary>
internal static class Shapes
{
    /// <summary>
    /// The outline of a class centred at (cx, cy) with circumradius r, rotated by <paramref name="rotation"/> radians.
    /// <paramref name="param"/> varies the shape within its class (ring: inner radius ratio; star: inner ratio; cross: arm width).
    /// </summary>
    public static SKPath Path(SceneClass cls, float cx, float cy, float r, float rotation, float param)
    {
        var path = new SKPath();
        switch (cls)
        {
            case SceneClass.Circle:
                path.AddCircle(cx, cy, r);
                return path;
            case SceneClass.Ring:
                path.FillType = SKPathFillType.EvenOdd;
                path.AddCircle(cx, cy, r);
                path.AddCircle(cx, cy, r * param);
                return path;
            case SceneClass.Square:
                return Polygon(path, Regular(4, 0.95f, MathF.PI / 4), cx, cy, r, rotation);
            case SceneClass.Triangle:
                return Polygon(path, Regular(3, 1f, -MathF.PI / 2), cx, cy, r, rotation);
            case SceneClass.Hexagon:
                return Polygon(path, Regular(6, 1f, 0), cx, cy, r, rotation);
            case SceneClass.Star:
            {
                var pts = new SKPoint[10];
                for (int i = 0; i < 10; i++)
                {
                    float a = -MathF.PI / 2 + i * MathF.PI / 5;
                    float rr = i % 2 == 0 ? 1f : param;
                    pts[i] = new SKPoint(rr * MathF.Cos(a), rr * MathF.Sin(a));
                }
                return Polygon(path, pts, cx, cy, r, rotation);
            }
            case SceneClass.Cross:
            {
                float w = param, l = 0.95f;
                SKPoint[] pts =
                [
                    new(-w, -l), new(w, -l), new(w, -w), new(l, -w), new(l, w), new(w, w),
                    new(w, l), new(-w, l), new(-w, w), new(-l, w), new(-l, -w), new(-w, -w),
                ];
                return Polygon(path, pts, cx, cy, r, rotation);
            }
            case SceneClass.Arrow:
            {
                float shaft = param, head = 0.6f, neck = 0.1f;
                SKPoint[] pts =
                [
                    new(-0.95f, -shaft), new(neck, -shaft), new(neck, -head), new(0.95f, 0),
                    new(neck, head), new(neck, shaft), new(-0.95f, shaft),
                ];
                return Polygon(path, pts, cx, cy, r, rotation);
            }
            default:
                throw new ArgumentOutOfRangeException(nameof(cls), cls, "Unknown class.");
        }
    }

    /// <summary>A random within-class variation parameter for <see cref="Path"/>.</summary>
    public static float RandomParam(SceneClass cls, SceneRandom rng) => cls switch
    {
        SceneClass.Ring => rng.UniformF(0.5, 0.65),
        SceneClass.Star => rng.UniformF(0.38, 0.5),
        SceneClass.Cross => rng.UniformF(0.24, 0.34),
        SceneClass.Arrow => rng.UniformF(0.2, 0.28),
        _ => 0f,
    };

    static SKPoint[] Regular(int n, float radius, float start)
    {
        var pts = new SKPoint[n];
        for (int i = 0; i < n; i++)
        {
            float a = start + i * 2 * MathF.PI / n;
            pts[i] = new SKPoint(radius * MathF.Cos(a), radius * MathF.Sin(a));
        }
        return pts;
    }

    static SKPath Polygon(SKPath path, SKPoint[] unit, float cx, float cy, float r, float rotation)
    {
        float c = MathF.Cos(rotation), s = MathF.Sin(rotation);
        var pts = new SKPoint[unit.Length];
        for (int i = 0; i < unit.Length; i++)
        {
            float x = unit[i].X * r, y = unit[i].Y * r;
            pts[i] = new SKPoint(cx + c * x - s * y, cy + s * x + c * y);
        }
        path.AddPoly(pts, close: true);
        return path;
    }
}

/// <summary>Rasterizes paths into exact boolean silhouettes (no antialiasing), reusing one A8 surface.</summary>
internal sealed class SilhouetteRasterizer : IDisposable
{
    readonly SKBitmap _bitmap;
    readonly SKCanvas _canvas;
    readonly SKPaint _paint = new() { IsAntialias = false, Style = SKPaintStyle.Fill, Color = SKColors.White };

    public SilhouetteRasterizer(int width, int height)
    {
        Width = width;
        Height = height;
        _bitmap = new SKBitmap(new SKImageInfo(width, height, SKColorType.Alpha8, SKAlphaType.Premul));
        _canvas = new SKCanvas(_bitmap);
    }

    public int Width { get; }
    public int Height { get; }

    /// <summary>The pixels whose centres the path covers, row-major, and their count.</summary>
    public (bool[] Mask, int Area) Rasterize(SKPath path)
    {
        _canvas.Clear(SKColors.Transparent);
        _canvas.DrawPath(path, _paint);
        _canvas.Flush();
        var mask = new bool[Width * Height];
        int area = 0, rowBytes = _bitmap.RowBytes;
        var pixels = _bitmap.GetPixelSpan();
        for (int y = 0; y < Height; y++)
        {
            int src = y * rowBytes, dst = y * Width;
            for (int x = 0; x < Width; x++)
            {
                if (pixels[src + x] == 0) continue;
                mask[dst + x] = true;
                area++;
            }
        }
        return (mask, area);
    }

    public void Dispose()
    {
        _canvas.Dispose();
        _bitmap.Dispose();
        _paint.Dispose();
    }
}
