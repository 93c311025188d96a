using TsgbKit.Jupyter;
using TsgbKit.Scripting.Formatting;

namespace TsgbKit.Scripting;

/// <summary>A value shown with display(); <see cref="Update"/> replaces it in place (update_display_data).</summary>
public sealed class DisplayHandle
{
    internal DisplayHandle(string displayId) => DisplayId = displayId;

    /// <summary>The display_id of the output.</summary>
    public string DisplayId { get; }

    /// <summary>Replaces the displayed value (e.g. a progress line updated many times).</summary>
    public void Update(object? value, string? mimeType = null)
    {
        var output = ScriptRuntime.Output ?? throw new InvalidOperationException("No cell output to update.");
        output.UpdateDisplay(MimeFormatter.Format(value, mimeType), DisplayId);
    }

    internal static DisplayHandle Show(object? value, string? mimeType)
    {
        var output = ScriptRuntime.Output ?? throw new InvalidOperationException("display() needs an executing cell.");
        var handle = new DisplayHandle(Guid.NewGuid().ToString("N"));
        output.Display(MimeFormatter.Format(value, mimeType), handle.DisplayId);
        return handle;
    }

    public override string ToString() => $"DisplayHandle({DisplayId})";
}

/// <summary><c>x.Display()</c> in cells.</summary>
public static class DisplayExtensions
{
    /// <summary>Shows the value as display_data (formatted by <see cref="MimeFormatter"/>) and returns a handle to update it.</summary>
    public static DisplayHandle Display(this object? value, string? mimeType = null) => DisplayHandle.Show(value, mimeType);
}

/// <summary>The globals of every cell: display(), clear_output() and the interpreter's variable exchange.</summary>
public sealed class ScriptGlobals
{
    internal ScriptGlobals() { }

    /// <summary>Values handed over by magics (<see cref="Magics.IScriptVariables.SetVariable"/>); not for cells.</summary>
    public Dictionary<string, object?> __vars { get; } = new(StringComparer.Ordinal);

    /// <summary>Shows the value as display_data and returns a handle whose Update(y) replaces it.</summary>
    public DisplayHandle display(object? value, string? mimeType = null) => DisplayHandle.Show(value, mimeType);

    /// <summary>Clears the cell's output (wait: clear when the next output arrives).</summary>
    public void clear_output(bool wait = false) => ScriptRuntime.Output?.ClearOutput(wait);

    /// <summary>The interrupt token of the executing cell; pass it to long operations.</summary>
    public CancellationToken CancellationToken => ScriptRuntime.CurrentCancellationToken;
}
