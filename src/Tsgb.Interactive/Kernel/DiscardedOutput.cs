using TsgbKit.Jupyter;

namespace TsgbKit.Interactive.Kernel;

/// <summary>The output of the kernel's own warm-up cell: nobody sees it.</summary>
internal sealed class DiscardedOutput : IExecutionOutput
{
    public static DiscardedOutput Instance { get; } = new();

    public void Stream(string name, string text) { }
    public void Display(MimeBundle data, string? displayId = null) { }
    public void UpdateDisplay(MimeBundle data, string displayId) { }
    public void ClearOutput(bool wait) { }
    public string ReadInput(string prompt, bool password) => throw new InvalidOperationException("the warm-up cell reads no input");
}
