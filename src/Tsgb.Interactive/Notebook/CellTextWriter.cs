using System.Text;
using TsgbKit.Jupyter;

namespace TsgbKit.Interactive.Notebook;

/// <summary>
/// A TextWriter whose text becomes stdout stream messages of the running cell, a message per line or more (the
/// help builder writes a line in many pieces); <see cref="Flush"/> sends what is left.
/// </summary>
internal sealed class CellTextWriter(Func<IExecutionOutput?> output) : TextWriter
{
    private readonly StringBuilder _pending = new();
    private readonly object _gate = new();

    public override Encoding Encoding => Encoding.UTF8;

    public override void Write(char value) => Append(value.ToString());
    public override void Write(string? value) => Append(value);
    public override void Write(char[] buffer, int index, int count) => Append(new string(buffer, index, count));
    public override void Write(ReadOnlySpan<char> buffer) => Append(new string(buffer));
    public override void WriteLine(string? value) => Append(value + NewLine);
    public override void WriteLine(ReadOnlySpan<char> buffer) => Append(new string(buffer) + NewLine);
    public override void WriteLine() => Append(NewLine);

    public override void Flush() => Send(all: true);

    private void Append(string? text)
    {
        if (string.IsNullOrEmpty(text)) return;
        lock (_gate) _pending.Append(text);
        if (text.Contains('\n')) Send(all: false);
    }

    /// <summary>Sends the complete lines (or everything) written so far.</summary>
    private void Send(bool all)
    {
        string text;
        lock (_gate)
        {
            var text0 = _pending.ToString();
            var end = all ? text0.Length : text0.LastIndexOf('\n') + 1;
            if (end == 0) return;
            text = text0[..end];
            _pending.Remove(0, end);
        }
        output()?.Stream("stdout", text);
    }
}
