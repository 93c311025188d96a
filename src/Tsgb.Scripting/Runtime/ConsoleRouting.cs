using System.Text;

namespace TsgbKit.Scripting;

/// <summary>Console.Out / Console.Error that write to the executing cell's output as stream messages.</summary>
internal sealed class RoutingWriter(string streamName, TextWriter fallback) : TextWriter
{
    public override Encoding Encoding => Encoding.UTF8;

    private void Send(string? text)
    {
        if (string.IsNullOrEmpty(text)) return;
        var output = ScriptRuntime.Output;
        if (output is null) { fallback.Write(text); fallback.Flush(); return; }
        try { output.Stream(streamName, text); }
        catch { /* an output channel that is gone must not break the writing code */ }
    }

    public override void Write(char value) => Send(value.ToString());
    public override void Write(string? value) => Send(value);
    public override void Write(char[] buffer, int index, int count) => Send(new string(buffer, index, count));
    public override void Write(ReadOnlySpan<char> buffer) => Send(new string(buffer));
    public override void WriteLine(string? value) => Send(value + NewLine);
    public override void WriteLine(ReadOnlySpan<char> buffer) => Send(new string(buffer) + NewLine);
    public override void WriteLine() => Send(NewLine);

    private static int s_installed;

    /// <summary>Installs the routing writers and reader once per process.</summary>
    public static void Install()
    {
        if (Interlocked.Exchange(ref s_installed, 1) == 1) return;
        var stdout = Console.Out;
        var stderr = Console.Error;
        var stdin = Console.In;
        ScriptConsole.OriginalOut = stdout;
        ScriptConsole.OriginalError = stderr;
        Console.SetOut(new RoutingWriter("stdout", stdout));
        Console.SetError(new RoutingWriter("stderr", stderr));
        Console.SetIn(new RoutingReader(stdin));
    }
}

/// <summary>Console.In that asks the frontend (input_request) for each line.</summary>
internal sealed class RoutingReader(TextReader fallback) : TextReader
{
    private string? _pending;
    private int _pos;
    private readonly object _gate = new();

    public override string? ReadLine()
    {
        lock (_gate)
        {
            if (_pending is not null && _pos < _pending.Length)
            {
                var rest = _pending[_pos..].TrimEnd('\n');
                _pending = null;
                return rest;
            }
            var output = ScriptRuntime.Output;
            return output is null ? fallback.ReadLine() : output.ReadInput("", false);
        }
    }

    public override int Read()
    {
        lock (_gate)
        {
            if (_pending is null || _pos >= _pending.Length)
            {
                var line = ReadLine();
                if (line is null) return -1;
                _pending = line + "\n";
                _pos = 0;
            }
            return _pending[_pos++];
        }
    }

    public override int Peek()
    {
        lock (_gate)
        {
            if (_pending is null || _pos >= _pending.Length) return -1;
            return _pending[_pos];
        }
    }
}

/// <summary>
/// The process's console writers from before the interpreter routed Console.Out/Error to the cells: hosts log
/// there (a Console.Error.WriteLine of the host would otherwise appear in the notebook).
/// </summary>
public static class ScriptConsole
{
    public static TextWriter OriginalOut { get; internal set; } = Console.Out;
    public static TextWriter OriginalError { get; internal set; } = Console.Error;
}
