using SkiaSharp;

namespace TsgbKit.Imaging;

/// <summary>
/// Finds a readable sans-serif typeface. SkiaSharp's NoDependencies build has no fontconfig, so family lookup may yield
/// an empty face; then well-known font files are tried. Where none exists, the default face is used: titles may not
/// show, but nothing fails.
/// </summary>
internal static class Fonts
{
    static readonly Lazy<SKTypeface> RegularFace = new(() => Resolve(bold: false));
    static readonly Lazy<SKTypeface> BoldFace = new(() => Resolve(bold: true));

    public static SKTypeface Regular => RegularFace.Value;
    public static SKTypeface Bold => BoldFace.Value;

    /// <summary>True when a typeface with glyphs was found (titles will be visible).</summary>
    public static bool HasGlyphs(SKTypeface face)
    {
        try
        {
            return face.GlyphCount > 0 && face.GetGlyph('A') != 0;
        }
        catch (Exception)
        {
            return false;
        }
    }

    static SKTypeface Resolve(bool bold)
    {
        var style = bold ? SKFontStyle.Bold : SKFontStyle.Normal;
        foreach (var family in new[] { "DejaVu Sans", "Liberation Sans", "Arial", "Helvetica", "Noto Sans" })
        {
            var face = TryCreate(() => SKTypeface.FromFamilyName(family, style));
            if (face is not null && face.FamilyName.Equals(family, StringComparison.OrdinalIgnoreCase) && HasGlyphs(face)) return face;
        }
        string[] files = bold
            ? ["/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf", "/usr/share/fonts/TTF/DejaVuSans-Bold.ttf",
               "/usr/share/fonts/dejavu/DejaVuSans-Bold.ttf", "/usr/share/fonts/truetype/liberation/LiberationSans-Bold.ttf",
               "/Library/Fonts/Arial Bold.ttf", @"C:\Windows\Fonts\arialbd.ttf"]
            : [];
        string[] regular =
        [
            "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf", "/usr/share/fonts/TTF/DejaVuSans.ttf",
            "/usr/share/fonts/dejavu/DejaVuSans.ttf", "/usr/share/fonts/truetype/liberation/LiberationSans-Regular.ttf",
            "/usr/share/fonts/truetype/noto/NotoSans-Regular.ttf", "/Library/Fonts/Arial.ttf", @"C:\Windows\Fonts\arial.ttf",
        ];
        foreach (var file in files.Concat(regular))
        {
            if (!File.Exists(file)) continue;
            var face = TryCreate(() => SKTypeface.FromFile(file));
            if (face is not null && HasGlyphs(face)) return face;
        }
        return TryCreate(() => SKTypeface.Default) ?? SKTypeface.CreateDefault();
    }

    static SKTypeface? TryCreate(Func<SKTypeface?> create)
    {
        try
        {
            return create();
        }
        catch (Exception)
        {
            return null;
        }
    }
}
