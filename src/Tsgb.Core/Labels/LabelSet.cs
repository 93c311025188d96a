namespace TsgbKit.Labels;

// TEMPORARY: replaced at merge by the io branch's LabelSet (same API subset).
public sealed class LabelSet(IEnumerable<string> names)
{
    private readonly string[] _names = names.ToArray();
    public int Count => _names.Length;
    public string this[int index] => _names[index];
    public static LabelSet Numbered(int count) => new(Enumerable.Range(0, count).Select(i => $"class {i}"));
    public int Resolve(string text, ReadOnlySpan<float> scores)
    {
        if (int.TryParse(text, out var i)) return i;
        for (int k = 0; k < _names.Length; k++) if (string.Equals(_names[k], text, StringComparison.OrdinalIgnoreCase)) return k;
        throw new ArgumentException($"unknown label '{text}'");
    }
}
