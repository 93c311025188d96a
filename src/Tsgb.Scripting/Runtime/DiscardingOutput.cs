using TsgbKit.Jupyter;

namespace TsgbKit.Scripting;

/// <summary>The output while a user expression is evaluated: the protocol wants no outputs from it.</summary>
internal sealed class DiscardingOutput : IExecutionOutput
{
    public static DiscardingOutput Instance { get; } = new();

    public void Stream(string name, string text) { }
    public void Display(MimeBundle data, string? displayId = null) { }
    public void UpdateDisplay(MimeBundle data, string displayId) { }
    public void ClearOutput(bool wait) { }

    public string ReadInput(string prompt, bool password) =>
        throw new InvalidOperationException("A user expression cannot read input.");
}
