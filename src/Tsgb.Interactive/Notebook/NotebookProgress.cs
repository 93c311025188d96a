using System.Globalization;
using TsgbKit.Interactive.Commands;
using TsgbKit.Jupyter;

namespace TsgbKit.Interactive.Notebook;

/// <summary>
/// One progress output of a cell: displayed once with a display id, then replaced in place (update_display_data)
/// at most a few times a second, and a last time when done.
/// </summary>
internal sealed class NotebookProgress : IProgressDisplay
{
    private const int BarWidth = 30;
    private static readonly TimeSpan MinInterval = TimeSpan.FromMilliseconds(250);

    private readonly IExecutionOutput _output;
    private readonly string _label;
    private readonly string _displayId = "tsgb-progress-" + Guid.NewGuid().ToString("N");
    private readonly object _gate = new();
    private DateTime _lastUpdate = DateTime.MinValue;
    private double _fraction;
    private string _detail = "";
    private bool _pending;

    public NotebookProgress(IExecutionOutput output, string label)
    {
        _output = output;
        _label = label;
        _output.Display(Bundle(), _displayId);
        _lastUpdate = DateTime.UtcNow;
    }

    public void Report(double fraction, string detail)
    {
        lock (_gate)
        {
            _fraction = Math.Clamp(fraction, 0, 1);
            _detail = detail;
            _pending = true;
            if (DateTime.UtcNow - _lastUpdate < MinInterval && _fraction < 1) return;
            Flush();
        }
    }

    /// <summary>Shows the last reported state (a throttled report must not be lost).</summary>
    public void Dispose()
    {
        lock (_gate) if (_pending) Flush();
    }

    private void Flush()
    {
        _output.UpdateDisplay(Bundle(), _displayId);
        _lastUpdate = DateTime.UtcNow;
        _pending = false;
    }

    private MimeBundle Bundle() => new() { ["text/plain"] = Line(_label, _fraction, _detail) };

    /// <summary>"label [#########---------------------]  30%  detail".</summary>
    internal static string Line(string label, double fraction, string detail)
    {
        var filled = (int)Math.Round(Math.Clamp(fraction, 0, 1) * BarWidth);
        var percent = (fraction * 100).ToString("0", CultureInfo.InvariantCulture).PadLeft(3);
        var line = $"{label} [{new string('#', filled)}{new string('-', BarWidth - filled)}] {percent}%";
        return detail.Length > 0 ? line + "  " + detail : line;
    }
}
