namespace TsgbKit.Interactive.Cli;

/// <summary>A one-line terminal progress bar on stderr (redrawn in place on a terminal, one line per update elsewhere).</summary>
internal sealed class ProgressBar(string label, TextWriter? writer = null)
{
    private readonly TextWriter _out = writer ?? Console.Error;
    private readonly bool _inPlace = !Console.IsErrorRedirected;
    private DateTime _lastLine = DateTime.MinValue;

    public void Report(double fraction, string detail)
    {
        const int width = 30;
        int filled = (int)Math.Round(Math.Clamp(fraction, 0, 1) * width);
        var line = $"{label} [{new string('#', filled)}{new string('-', width - filled)}] {fraction,4:P0}  {detail}";
        if (_inPlace) _out.Write("\r" + line.PadRight(Console.BufferWidth > 0 ? Math.Min(Console.BufferWidth - 1, 160) : 120));
        else if (DateTime.UtcNow - _lastLine > TimeSpan.FromSeconds(10) || fraction >= 1)
        {
            _out.WriteLine(line);
            _lastLine = DateTime.UtcNow;
        }
    }

    public void Done()
    {
        if (_inPlace) _out.WriteLine();
    }
}
