namespace TsgbKit.Scripting;

/// <summary>A cell's text split into lines, for magics at its top (positions of the code stay those of the cell).</summary>
internal sealed class CellText
{
    private readonly string _text;
    private readonly List<(int Start, int Length)> _lines = []; // Length excludes the line break

    public CellText(string text)
    {
        _text = text;
        var start = 0;
        for (var i = 0; i < text.Length; i++)
        {
            if (text[i] == '\n')
            {
                var len = i - start;
                if (len > 0 && text[i - 1] == '\r') len--;
                _lines.Add((start, len));
                start = i + 1;
            }
        }
        _lines.Add((start, text.Length - start));
    }

    public string Line(int i) => _text.Substring(_lines[i].Start, _lines[i].Length);

    public int LineCount => _lines.Count;

    /// <summary>The index of the first non-blank line from <paramref name="from"/> when it is a magic line; else -1.</summary>
    public int FirstMagicLine(int from)
    {
        for (var i = from; i < _lines.Count; i++)
        {
            var line = Line(i).TrimStart();
            if (line.Length == 0) continue;
            return IsMagic(line) ? i : -1;
        }
        return -1;
    }

    internal static bool IsMagic(string trimmedLine) =>
        trimmedLine.StartsWith("#!", StringComparison.Ordinal) && trimmedLine.Length > 2 && !char.IsWhiteSpace(trimmedLine[2]);

    public (string Name, string Arguments) ParseMagic(int line)
    {
        var text = Line(line).Trim()[2..];
        var space = text.IndexOfAny([' ', '\t']);
        return space < 0 ? (text, "") : (text[..space], text[(space + 1)..].Trim());
    }

    /// <summary>The text after line <paramref name="line"/>.</summary>
    public string TextAfterLine(int line) => line + 1 < _lines.Count ? _text[_lines[line + 1].Start..] : "";

    /// <summary>The whole text with the lines before <paramref name="firstLine"/> blanked (same length).</summary>
    public string Masked(int firstLine)
    {
        if (firstLine <= 0) return _text;
        var chars = _text.ToCharArray();
        for (var i = 0; i < firstLine && i < _lines.Count; i++)
            for (var j = _lines[i].Start; j < _lines[i].Start + _lines[i].Length; j++) chars[j] = ' ';
        return new string(chars);
    }

    /// <summary>The text with every magic line at the top blanked (for analysis of the code part).</summary>
    public static string MaskMagics(string text)
    {
        var cell = new CellText(text);
        var line = 0;
        while (cell.FirstMagicLine(line) is var m && m >= 0) line = m + 1;
        return cell.Masked(line);
    }
}
