using TsgbKit.Errors;

namespace TsgbKit.Imaging;

/// <summary>A map from [0, 1] to RGB, held as a 256-entry table. Built in: <see cref="Jet"/>, <see cref="Viridis"/>, <see cref="Gray"/>, <see cref="Hot"/>.</summary>
public sealed class Colormap
{
    const int Size = 256;
    readonly byte[] _table; // Size × RGB

    Colormap(string name, Func<double, (double R, double G, double B)> function)
    {
        Name = name;
        _table = new byte[Size * 3];
        for (int i = 0; i < Size; i++)
        {
            var (r, g, b) = function(i / (double)(Size - 1));
            _table[3 * i] = ToByte(r);
            _table[3 * i + 1] = ToByte(g);
            _table[3 * i + 2] = ToByte(b);
        }
    }

    public string Name { get; }

    /// <summary>
    /// MATLAB's/matplotlib's jet: piecewise linear per channel (the standard segment data), dark blue (0, 0, 0.5)
    /// through cyan, yellow to dark red (0.5, 0, 0).
    /// </summary>
    public static Colormap Jet { get; } = new("jet", t => (
        Piecewise(t, [(0, 0), (0.35, 0), (0.66, 1), (0.89, 1), (1, 0.5)]),
        Piecewise(t, [(0, 0), (0.125, 0), (0.375, 1), (0.64, 1), (0.91, 0), (1, 0)]),
        Piecewise(t, [(0, 0.5), (0.11, 1), (0.34, 1), (0.65, 0), (1, 0)])));

    /// <summary>
    /// Viridis (van der Walt and Smith, matplotlib's default), interpolated linearly between 33 control points taken
    /// at steps of 1/32 of the published 256-entry table: #440154 at 0 to #FDE725 at 1.
    /// </summary>
    public static Colormap Viridis { get; } = FromControlPoints("viridis",
    [
        0x440154, 0x470D60, 0x48186A, 0x482374, 0x472D7B, 0x453781, 0x424086, 0x3E4989, 0x3B528B, 0x375B8D, 0x33638D,
        0x2F6B8E, 0x2C728E, 0x297A8E, 0x26828E, 0x23898E, 0x21918C, 0x1F978B, 0x1F9F88, 0x21A685, 0x27AD81, 0x31B57B,
        0x3DBC74, 0x4CC26C, 0x5CC863, 0x6ECE58, 0x81D34D, 0x95D840, 0xAADC32, 0xC0DF25, 0xD5E21A, 0xEAE51A, 0xFDE725,
    ]);

    /// <summary>Black to white.</summary>
    public static Colormap Gray { get; } = new("gray", t => (t, t, t));

    /// <summary>matplotlib's hot: black, red, yellow, white.</summary>
    public static Colormap Hot { get; } = new("hot", t => (
        Piecewise(t, [(0, 0.0416), (0.365079, 1), (1, 1)]),
        Piecewise(t, [(0, 0), (0.365079, 0), (0.746032, 1), (1, 1)]),
        Piecewise(t, [(0, 0), (0.746032, 0), (1, 1)])));

    public static IReadOnlyList<Colormap> All { get; } = [Jet, Viridis, Gray, Hot];

    /// <summary>A built-in colormap by name (case-insensitive): jet, viridis, gray/grey, hot.</summary>
    public static Colormap FromName(string name) =>
        All.FirstOrDefault(c => c.Name.Equals(name, StringComparison.OrdinalIgnoreCase))
        ?? (name.Equals("grey", StringComparison.OrdinalIgnoreCase) ? Gray
            : throw new TsgbInputException($"Unknown colormap '{name}'; known: {string.Join(", ", All.Select(c => c.Name))}."));

    /// <summary>A colormap through evenly spaced 0xRRGGBB colours, interpolated linearly.</summary>
    public static Colormap FromControlPoints(string name, IReadOnlyList<int> colors)
    {
        if (colors.Count < 2) throw new TsgbInputException("A colormap needs at least two colours.");
        var points = colors.ToArray();
        return new Colormap(name, t =>
        {
            double x = Math.Clamp(t, 0, 1) * (points.Length - 1);
            int i = Math.Min((int)x, points.Length - 2);
            double f = x - i;
            double Channel(int shift) =>
                (((points[i] >> shift) & 0xFF) * (1 - f) + ((points[i + 1] >> shift) & 0xFF) * f) / 255.0;
            return (Channel(16), Channel(8), Channel(0));
        });
    }

    /// <summary>The colour of <paramref name="t"/> (clamped to [0, 1]; NaN maps like 0).</summary>
    public (byte R, byte G, byte B) Map(double t)
    {
        int i = Index(t);
        return (_table[3 * i], _table[3 * i + 1], _table[3 * i + 2]);
    }

    internal int Index(double t)
    {
        if (!(t > 0)) return 0;
        if (t >= 1) return Size - 1;
        return Math.Min((int)(t * Size), Size - 1); // matplotlib's lookup: entry i holds the colour at i / 255
    }

    internal ReadOnlySpan<byte> Table => _table;

    public override string ToString() => Name;

    static double Piecewise(double t, (double X, double Y)[] points)
    {
        if (t <= points[0].X) return points[0].Y;
        for (int i = 1; i < points.Length; i++)
            if (t <= points[i].X)
            {
                var (x0, y0) = points[i - 1];
                var (x1, y1) = points[i];
                return y0 + (y1 - y0) * (t - x0) / (x1 - x0);
            }
        return points[^1].Y;
    }

    static byte ToByte(double v) => (byte)Math.Round(Math.Clamp(v, 0, 1) * 255);
}
