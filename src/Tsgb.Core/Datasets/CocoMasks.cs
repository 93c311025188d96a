using TsgbKit.Synthetic;

namespace TsgbKit.Datasets;

/// <summary>
/// COCO's instance masks as the COCO API (<c>maskApi.c</c>) makes them: run-length encodings in column-major order
/// (runs alternate 0s and 1s, starting with 0s), the compressed string form of those counts, and polygons rasterised by
/// COCO's own rule (vertices scaled by 5, boundary points along every edge, column crossings downsampled), so that a
/// polygon covers the same pixels as <c>annToMask</c> gives.
/// </summary>
public static class CocoMasks
{
    /// <summary>The mask of uncompressed RLE counts for an image of <paramref name="width"/>×<paramref name="height"/>.</summary>
    public static Mask FromCounts(IReadOnlyList<long> counts, int width, int height, string source = "RLE")
    {
        var mask = new Mask(width, height);
        long total = (long)width * height, p = 0;
        bool value = false;
        foreach (var run in counts)
        {
            if (run < 0 || p + run > total) throw new DatasetException(source, $"RLE counts exceed the {width}×{height} image");
            if (value)
                for (long i = p; i < p + run; i++)
                {
                    long x = i / height, y = i % height; // column-major
                    mask[(int)x, (int)y] = true;
                }
            p += run;
            value = !value;
        }
        return mask;
    }

    /// <summary>Decodes COCO's compressed RLE string (LEB128-like, 5 bits a character, offset 48, deltas from the count two back).</summary>
    public static long[] DecodeCountsString(string s, string source = "RLE")
    {
        var counts = new List<long>();
        int p = 0;
        while (p < s.Length)
        {
            long x = 0;
            int k = 0;
            bool more = true;
            while (more)
            {
                if (p >= s.Length) throw new DatasetException(source, "compressed RLE string ends in the middle of a count");
                long c = s[p] - 48;
                if (c < 0 || c > 63) throw new DatasetException(source, $"compressed RLE string has an invalid character '{s[p]}'");
                x |= (c & 0x1f) << (5 * k);
                more = (c & 0x20) != 0;
                p++;
                k++;
                if (!more && (c & 0x10) != 0) x |= -1L << (5 * k);
            }
            if (counts.Count > 2) x += counts[^2];
            counts.Add(x);
        }
        return counts.ToArray();
    }

    /// <summary>Encodes counts as COCO's compressed string (the inverse of <see cref="DecodeCountsString"/>).</summary>
    public static string EncodeCountsString(IReadOnlyList<long> counts)
    {
        var sb = new System.Text.StringBuilder();
        for (int i = 0; i < counts.Count; i++)
        {
            long x = counts[i];
            if (i > 2) x -= counts[i - 2];
            bool more = true;
            while (more)
            {
                long c = x & 0x1f;
                x >>= 5;
                more = (c & 0x10) != 0 ? x != -1 : x != 0;
                if (more) c |= 0x20;
                sb.Append((char)(c + 48));
            }
        }
        return sb.ToString();
    }

    /// <summary>Column-major RLE counts of a mask.</summary>
    public static long[] ToCounts(Mask mask)
    {
        var counts = new List<long>();
        bool value = false;
        long run = 0;
        for (int x = 0; x < mask.Width; x++)
            for (int y = 0; y < mask.Height; y++)
            {
                if (mask[x, y] != value) { counts.Add(run); run = 0; value = !value; }
                run++;
            }
        counts.Add(run);
        return counts.ToArray();
    }

    /// <summary>One polygon (x0, y0, x1, y1, …) rasterised as COCO's <c>rleFrPoly</c> does.</summary>
    public static Mask FromPolygon(IReadOnlyList<double> xy, int width, int height, string source = "polygon")
    {
        if (xy.Count < 6 || xy.Count % 2 != 0) throw new DatasetException(source, $"a polygon needs at least 3 (x, y) pairs, got {xy.Count} numbers");
        int k = xy.Count / 2;
        const double scale = 5;
        var x = new int[k + 1];
        var y = new int[k + 1];
        for (int j = 0; j < k; j++) { x[j] = (int)(scale * xy[2 * j] + .5); y[j] = (int)(scale * xy[2 * j + 1] + .5); }
        x[k] = x[0];
        y[k] = y[0];
        var u = new List<int>();
        var v = new List<int>();
        for (int j = 0; j < k; j++)
        {
            int xs = x[j], xe = x[j + 1], ys = y[j], ye = y[j + 1];
            int dx = Math.Abs(xe - xs), dy = Math.Abs(ys - ye);
            bool flip = (dx >= dy && xs > xe) || (dx < dy && ys > ye);
            if (flip) { (xs, xe) = (xe, xs); (ys, ye) = (ye, ys); }
            double s = dx >= dy ? (double)(ye - ys) / dx : (double)(xe - xs) / dy;
            if (dx >= dy)
                for (int d = 0; d <= dx; d++)
                {
                    int t = flip ? dx - d : d;
                    u.Add(t + xs);
                    v.Add((int)(ys + s * t + .5));
                }
            else
                for (int d = 0; d <= dy; d++)
                {
                    int t = flip ? dy - d : d;
                    v.Add(t + ys);
                    u.Add((int)(xs + s * t + .5));
                }
        }
        // points where the boundary crosses a pixel column, downsampled
        var a = new List<long>();
        for (int j = 1; j < u.Count; j++)
        {
            if (u[j] == u[j - 1]) continue;
            double xd = u[j] < u[j - 1] ? u[j] : u[j] - 1;
            xd = (xd + .5) / scale - .5;
            if (Math.Floor(xd) != xd || xd < 0 || xd > width - 1) continue;
            double yd = v[j] < v[j - 1] ? v[j] : v[j - 1];
            yd = (yd + .5) / scale - .5;
            if (yd < 0) yd = 0; else if (yd > height) yd = height;
            yd = Math.Ceiling(yd);
            a.Add((long)xd * height + (long)yd);
        }
        a.Add((long)height * width);
        a.Sort();
        long prev = 0;
        for (int j = 0; j < a.Count; j++) { long t = a[j]; a[j] -= prev; prev = t; }
        var b = new List<long>();
        int i = 0;
        b.Add(a[i++]);
        while (i < a.Count)
        {
            if (a[i] > 0) b.Add(a[i++]);
            else
            {
                i++;
                if (i < a.Count) b[^1] += a[i++];
            }
        }
        return FromCounts(b, width, height, source);
    }
}
