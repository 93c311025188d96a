using SkiaSharp;

namespace TsgbKit.Synthetic;

/// <summary>
/// Generates the synthetic multi-label shape scenes. Deterministic: a seed (and options) fixes every pixel and mask.
/// With <c>using TsgbKit.Synthetic;</c> code, scripts and notebooks write <c>Scenes.Generate</c>.
/// </summary>
public static class Scenes
{
    /// <summary>Generates the scene of <paramref name="seed"/>.</summary>
    public static Scene Generate(long seed, SceneOptions? options = null)
    {
        options ??= SceneOptions.Default;
        options.Validate();
        var layout = Plan(seed, options);
        var rgb = SceneRenderer.Render(layout);
        return new Scene(seed, layout, rgb, VisibleObjects(layout));
    }

    /// <summary>
    /// A dataset of <paramref name="count"/> scenes; scene <c>i</c> has seed <c>seed · 1 000 003 + i</c>, so datasets with
    /// different seeds never share a scene (count ≤ 1 000 003). Scenes are generated on demand and never stored.
    /// </summary>
    public static SceneDataset Dataset(int count, int seed, SceneOptions? options = null) => new(count, seed, options);

    /// <summary>Objects with their visible masks: each silhouette minus the silhouettes of the objects drawn after it.</summary>
    static IReadOnlyList<SceneObject> VisibleObjects(SceneLayout layout)
    {
        int w = layout.Width, h = layout.Height, n = layout.Objects.Count;
        var result = new SceneObject[n];
        for (int k = 0; k < n; k++)
        {
            var visible = (bool[])layout.Objects[k].Shape.Clone();
            for (int j = k + 1; j < n; j++)
            {
                var above = layout.Objects[j].Shape;
                for (int i = 0; i < visible.Length; i++) visible[i] &= !above[i];
            }
            var mask = new Mask(w, h, visible);
            result[k] = new SceneObject(layout.Objects[k].ClassIndex, mask, mask.BoundingBox());
        }
        return result;
    }

    /// <summary>Makes every random decision of the scene.</summary>
    internal static SceneLayout Plan(long seed, SceneOptions o)
    {
        var rng = new SceneRandom(unchecked((ulong)seed) ^ 0x5453_4742_5343_4E45UL); // "TSGBSCNE"
        int w = o.Width, h = o.Height;
        float side = Math.Min(w, h);

        // Background: a two-colour gradient, soft random blobs, thin distractor strokes.
        var bg0 = RandomColor(rng, 0, 0.6, 0.2, 0.95);
        var bg1 = o.Clutter ? RandomColor(rng, 0, 0.6, 0.2, 0.95) : bg0;
        var g0 = new SKPoint(rng.UniformF(0, w), rng.UniformF(0, h));
        var g1 = new SKPoint(rng.UniformF(0, w), rng.UniformF(0, h));
        var blobs = new List<Blob>();
        var strokes = new List<Stroke>();
        if (o.Clutter)
        {
            int nBlobs = rng.Next(3, 8);
            for (int b = 0; b < nBlobs; b++)
            {
                float cx = rng.UniformF(0, w), cy = rng.UniformF(0, h), r = rng.UniformF(0.08, 0.25) * side;
                int n = rng.Next(5, 9);
                var pts = new SKPoint[n];
                float a0 = rng.UniformF(0, 2 * Math.PI);
                for (int i = 0; i < n; i++)
                {
                    float a = a0 + i * 2 * MathF.PI / n, rr = r * rng.UniformF(0.5, 1.3);
                    pts[i] = new SKPoint(cx + rr * MathF.Cos(a), cy + rr * MathF.Sin(a));
                }
                blobs.Add(new Blob(pts, RandomColor(rng, 0, 0.8, 0.15, 1).WithAlpha((byte)rng.Next(60, 150))));
            }
            int nStrokes = o.MaxDistractors == 0 ? 0 : rng.Next(Math.Min(2, o.MaxDistractors), o.MaxDistractors + 1);
            for (int s = 0; s < nStrokes; s++)
            {
                var kind = (StrokeKind)rng.Next(0, 4);
                SKPoint P() => new(rng.UniformF(-0.1 * w, 1.1 * w), rng.UniformF(-0.1 * h, 1.1 * h));
                float width = rng.UniformF(1, 2.5);
                var color = RandomColor(rng, 0, 1, 0.05, 1);
                strokes.Add(kind switch
                {
                    StrokeKind.Line => new Stroke(kind, [P(), P()], width, color, 0, 0),
                    StrokeKind.Quad => new Stroke(kind, [P(), P(), P()], width, color, 0, 0),
                    StrokeKind.Cubic => new Stroke(kind, [P(), P(), P(), P()], width, color, 0, 0),
                    _ => ArcStroke(rng, w, h, side, width, color),
                });
            }
        }

        // Objects: distinct classes, random size/position/rotation/paint; placements that would leave any object with
        // less than MinVisibleFraction of its silhouette visible are rejected and redrawn.
        int count = ObjectCount(rng, o);
        var classes = Enumerable.Range(0, SceneClasses.Count).ToArray();
        for (int i = 0; i < count; i++) // partial Fisher–Yates: the first `count` entries are a random distinct sample
        {
            int j = rng.Next(i, classes.Length);
            (classes[i], classes[j]) = (classes[j], classes[i]);
        }

        var objects = new List<ObjectSpec>();
        using var raster = new SilhouetteRasterizer(w, h);
        int minArea = Math.Max(12, (int)(0.25 * Math.PI * Math.Pow(o.MinSize * side / 2, 2)));
        for (int c = 0; c < count; c++)
        {
            int cls = classes[c];
            for (int attempt = 0; attempt < 40; attempt++)
            {
                double shrink = attempt < 20 ? 1 : 0.75; // late attempts favour smaller objects
                float diameter = (float)(rng.Uniform(o.MinSize, o.MinSize + (o.MaxSize - o.MinSize) * shrink) * side);
                float r = diameter / 2;
                float margin = 0.7f * r; // at most ~30 % of the radius may leave the image
                float cx = rng.UniformF(margin, Math.Max(margin + 1, w - margin));
                float cy = rng.UniformF(margin, Math.Max(margin + 1, h - margin));
                float rotation = rng.UniformF(0, 2 * Math.PI);
                float param = Shapes.RandomParam((SceneClass)cls, rng);
                var paint = RandomPaint(rng, r);
                using var path = Shapes.Path((SceneClass)cls, cx, cy, r, rotation, param);
                var (shape, area) = raster.Rasterize(path);
                if (area < minArea) continue;

                // Would any earlier object drop below the visible share once this one covers it?
                bool ok = true;
                for (int j = 0; j < objects.Count && ok; j++)
                    ok = CountVisible(objects, j, shape) >= o.MinVisibleFraction * objects[j].ShapeArea;
                if (!ok) continue;

                objects.Add(new ObjectSpec(cls, cx, cy, r, rotation, param, paint.Texture, paint.Color1, paint.Color2,
                    paint.Angle, paint.Period, paint.Outline, shape, area));
                break;
            }
        }

        return new SceneLayout
        {
            Width = w, Height = h,
            Background0 = bg0, Background1 = bg1, GradientStart = g0, GradientEnd = g1,
            Blobs = blobs, Strokes = strokes,
            NoiseSeed = rng.NextULong(), NoiseAmplitude = o.Clutter ? o.NoiseAmplitude : 0,
            Objects = objects,
        };
    }

    /// <summary>Visible pixels of object j if <paramref name="extra"/> is drawn on top of everything placed so far.</summary>
    static int CountVisible(List<ObjectSpec> objects, int j, bool[] extra)
    {
        var own = objects[j].Shape;
        int n = 0;
        for (int i = 0; i < own.Length; i++)
        {
            if (!own[i] || extra[i]) continue;
            bool covered = false;
            for (int k = j + 1; k < objects.Count && !covered; k++) covered = objects[k].Shape[i];
            if (!covered) n++;
        }
        return n;
    }

    /// <summary>1..Max objects; with the defaults (1–3): 25 % one, 40 % two, 35 % three.</summary>
    static int ObjectCount(SceneRandom rng, SceneOptions o)
    {
        int lo = o.MinObjects, hi = o.MaxObjects;
        if (lo == hi) return lo;
        double u = rng.NextDouble();
        if (lo == 1 && hi == 3) return u < 0.25 ? 1 : u < 0.65 ? 2 : 3;
        return rng.Next(lo, hi + 1);
    }

    static Stroke ArcStroke(SceneRandom rng, int w, int h, float side, float width, SKColor color)
    {
        float cx = rng.UniformF(0, w), cy = rng.UniformF(0, h);
        float rx = rng.UniformF(0.1, 0.5) * side, ry = rx * rng.UniformF(0.4, 1.0); // elliptic, open: never a full ring
        return new Stroke(StrokeKind.Arc, [new(cx - rx, cy - ry), new(cx + rx, cy + ry)], width, color,
            rng.UniformF(0, 360), rng.UniformF(40, 200));
    }

    readonly record struct Paint(Texture Texture, SKColor Color1, SKColor Color2, float Angle, float Period, SKColor? Outline);

    static Paint RandomPaint(SceneRandom rng, float radius)
    {
        var texture = (Texture)rng.Next(0, 5);
        var c1 = RandomColor(rng, 0.45, 1, 0.35, 1);
        var c2 = RandomColor(rng, 0.2, 1, 0.1, 1);
        float angle = rng.UniformF(0, Math.PI);
        float period = texture switch
        {
            Texture.Stripes => rng.UniformF(2.5, 5),
            Texture.Checker => rng.UniformF(3, 6),
            Texture.Dots => rng.UniformF(4, 7),
            _ => 0,
        };
        SKColor? outline = null;
        if (rng.Chance(0.6))
            outline = rng.Chance(0.5) ? RandomColor(rng, 0, 0.3, 0, 0.2) : RandomColor(rng, 0, 0.3, 0.85, 1);
        return new Paint(texture, c1, c2, angle, period, outline);
    }

    /// <summary>A colour from HSV ranges (saturation and value in 0–1).</summary>
    static SKColor RandomColor(SceneRandom rng, double sMin, double sMax, double vMin, double vMax) =>
        SKColor.FromHsv(rng.UniformF(0, 360), rng.UniformF(sMin * 100, sMax * 100), rng.UniformF(vMin * 100, vMax * 100));
}
