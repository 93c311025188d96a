using SkiaSharp;

namespace TsgbKit.Synthetic;

/// <summary>Turns a <see cref="SceneLayout"/> into RGB pixels. Pure: the same layout always gives the same bytes.</summary>
internal static class SceneRenderer
{
    /// <summary>
    /// Renders the layout as H×W×3 RGB bytes. Background, blobs and distractor strokes are drawn with Skia (antialiased);
    /// objects are then painted pixel by pixel over exactly their silhouettes, so every object pixel is in its mask.
    /// <paramref name="skipObject"/> leaves one object out (-1: none); <paramref name="drawObjects"/> false leaves all out.
    /// </summary>
    public static byte[] Render(SceneLayout layout, int skipObject = -1, bool drawObjects = true)
    {
        int w = layout.Width, h = layout.Height;
        var rgb = new byte[w * h * 3];
        DrawBackground(layout, rgb);
        for (int k = 0; k < layout.Objects.Count; k++)
            if (drawObjects && k != skipObject) PaintObject(layout.Objects[k], w, h, rgb);
        AddNoise(layout, rgb);
        return rgb;
    }

    static void DrawBackground(SceneLayout layout, byte[] rgb)
    {
        int w = layout.Width, h = layout.Height;
        using var bitmap = new SKBitmap(new SKImageInfo(w, h, SKColorType.Rgba8888, SKAlphaType.Premul));
        using (var canvas = new SKCanvas(bitmap))
        {
            using (var shader = SKShader.CreateLinearGradient(layout.GradientStart, layout.GradientEnd,
                       [layout.Background0, layout.Background1], SKShaderTileMode.Clamp))
            using (var paint = new SKPaint { Shader = shader, IsAntialias = false })
                canvas.DrawRect(0, 0, w, h, paint);

            using (var fill = new SKPaint { IsAntialias = true, Style = SKPaintStyle.Fill })
            {
                foreach (var blob in layout.Blobs)
                {
                    using var path = SmoothClosed(blob.Points);
                    fill.Color = blob.Color;
                    canvas.DrawPath(path, fill);
                }
            }

            using (var line = new SKPaint { IsAntialias = true, Style = SKPaintStyle.Stroke, StrokeCap = SKStrokeCap.Round })
            {
                foreach (var stroke in layout.Strokes)
                {
                    line.Color = stroke.Color;
                    line.StrokeWidth = stroke.Width;
                    using var path = new SKPath();
                    var p = stroke.Points;
                    switch (stroke.Kind)
                    {
                        case StrokeKind.Line:
                            path.MoveTo(p[0]); path.LineTo(p[1]);
                            break;
                        case StrokeKind.Quad:
                            path.MoveTo(p[0]); path.QuadTo(p[1], p[2]);
                            break;
                        case StrokeKind.Cubic:
                            path.MoveTo(p[0]); path.CubicTo(p[1], p[2], p[3]);
                            break;
                        case StrokeKind.Arc:
                            path.AddArc(new SKRect(p[0].X, p[0].Y, p[1].X, p[1].Y), stroke.StartAngle, stroke.SweepAngle);
                            break;
                    }
                    canvas.DrawPath(path, line);
                }
            }
            canvas.Flush();
        }

        var px = bitmap.GetPixelSpan();
        int rowBytes = bitmap.RowBytes;
        for (int y = 0; y < h; y++)
        {
            int src = y * rowBytes, dst = y * w * 3;
            for (int x = 0; x < w; x++, src += 4, dst += 3)
            {
                rgb[dst] = px[src];
                rgb[dst + 1] = px[src + 1];
                rgb[dst + 2] = px[src + 2];
            }
        }
    }

    /// <summary>A closed smooth curve through the points (midpoint quadratic splines).</summary>
    static SKPath SmoothClosed(SKPoint[] pts)
    {
        var path = new SKPath();
        int n = pts.Length;
        SKPoint Mid(int i) => new((pts[i % n].X + pts[(i + 1) % n].X) / 2, (pts[i % n].Y + pts[(i + 1) % n].Y) / 2);
        path.MoveTo(Mid(0));
        for (int i = 1; i <= n; i++) path.QuadTo(pts[i % n], Mid(i));
        path.Close();
        return path;
    }

    static void PaintObject(ObjectSpec o, int w, int h, byte[] rgb)
    {
        var shape = o.Shape;
        float ca = MathF.Cos(o.TextureAngle), sa = MathF.Sin(o.TextureAngle);
        float period = o.TexturePeriod;
        for (int y = 0; y < h; y++)
        {
            int row = y * w;
            for (int x = 0; x < w; x++)
            {
                if (!shape[row + x]) continue;
                SKColor c;
                if (o.Outline is { } outline &&
                    ((x > 0 && !shape[row + x - 1]) || (x < w - 1 && !shape[row + x + 1]) ||
                     (y > 0 && !shape[row - w + x]) || (y < h - 1 && !shape[row + w + x])))
                    c = outline;
                else
                {
                    float dx = x + 0.5f - o.CenterX, dy = y + 0.5f - o.CenterY;
                    float u = ca * dx + sa * dy, v = -sa * dx + ca * dy;
                    c = o.Texture switch
                    {
                        Texture.Solid => o.Color1,
                        Texture.Stripes => (((int)MathF.Floor(u / period)) & 1) == 0 ? o.Color1 : o.Color2,
                        Texture.Checker => ((((int)MathF.Floor(u / period)) + (int)MathF.Floor(v / period)) & 1) == 0 ? o.Color1 : o.Color2,
                        Texture.Dots => Dot(u, v, period) ? o.Color2 : o.Color1,
                        Texture.Gradient => Lerp(o.Color1, o.Color2, Math.Clamp((u / o.Radius + 1) / 2, 0, 1)),
                        _ => o.Color1,
                    };
                }
                int i = (row + x) * 3;
                rgb[i] = c.Red;
                rgb[i + 1] = c.Green;
                rgb[i + 2] = c.Blue;
            }
        }
    }

    static bool Dot(float u, float v, float period)
    {
        float fu = u / period - MathF.Floor(u / period) - 0.5f, fv = v / period - MathF.Floor(v / period) - 0.5f;
        return fu * fu + fv * fv < 0.09f;
    }

    static SKColor Lerp(SKColor a, SKColor b, float t) => new(
        (byte)(a.Red + (b.Red - a.Red) * t + 0.5f), (byte)(a.Green + (b.Green - a.Green) * t + 0.5f),
        (byte)(a.Blue + (b.Blue - a.Blue) * t + 0.5f));

    static void AddNoise(SceneLayout layout, byte[] rgb)
    {
        int amp = layout.NoiseAmplitude;
        if (amp <= 0) return;
        int span = 2 * amp + 1;
        for (int i = 0; i < rgb.Length; i += 3)
        {
            ulong hsh = SceneRandom.Hash(layout.NoiseSeed, (ulong)i);
            for (int c = 0; c < 3; c++)
            {
                int n = (int)((hsh >> (c * 16)) & 0xFFFF) % span - amp;
                rgb[i + c] = (byte)Math.Clamp(rgb[i + c] + n, 0, 255);
            }
        }
    }
}
