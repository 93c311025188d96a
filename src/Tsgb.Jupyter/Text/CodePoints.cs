namespace TsgbKit.Jupyter.Text;

/// <summary>
/// Jupyter counts cursor positions in Unicode code points; .NET strings (and IInterpreter) in UTF-16 units.
/// A character outside the BMP (an emoji) is one code point but two UTF-16 units.
/// </summary>
internal static class CodePoints
{
    /// <summary>UTF-16 index of the code point at <paramref name="codePointIndex"/>; clamped to the string.</summary>
    public static int ToUtf16Index(string text, int codePointIndex)
    {
        var utf16 = 0;
        for (var points = 0; points < codePointIndex && utf16 < text.Length; points++)
            utf16 += IsPairAt(text, utf16) ? 2 : 1;
        return Math.Min(utf16, text.Length);
    }

    /// <summary>Number of code points in text[..utf16Index]; an index inside a surrogate pair counts the pair.</summary>
    public static int ToCodePointIndex(string text, int utf16Index)
    {
        var end = Math.Clamp(utf16Index, 0, text.Length);
        var points = 0;
        for (var i = 0; i < end; i += IsPairAt(text, i) ? 2 : 1)
            points++;
        return points;
    }

    private static bool IsPairAt(string text, int i) =>
        i + 1 < text.Length && char.IsHighSurrogate(text[i]) && char.IsLowSurrogate(text[i + 1]);
}
