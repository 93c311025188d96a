using Microsoft.Data.Analysis;
using TsgbKit.Explain;
using TsgbKit.Interactive.Cli;

namespace TsgbKit.Interactive.Commands;

/// <summary>The terminal: results as text on stdout, progress as one redrawn line on stderr.</summary>
public sealed class ConsoleSurface : ICommandSurface
{
    public bool IsNotebook => false;
    public TextWriter Out => Console.Out;
    public CommandSession Session { get; } = new();

    public void Show(object value)
    {
        switch (value)
        {
            case DataFrame frame: Out.WriteLine(TableText.Markdown(frame)); break;
            case ExplanationSet set: foreach (var e in set) Out.WriteLine(e); break;
            case Imaging.RgbImage image: Out.WriteLine($"image {image.Width}×{image.Height}"); break;
            default: Out.WriteLine(value); break;
        }
    }

    public void Bind(string name, object value) =>
        Console.Error.WriteLine($"note: --as {name} binds a variable in notebooks only; ignored here");

    public IProgressDisplay StartProgress(string label) => new ConsoleProgress(label);

    private sealed class ConsoleProgress(string label) : IProgressDisplay
    {
        private readonly ProgressBar _bar = new(label);
        public void Report(double fraction, string detail) => _bar.Report(fraction, detail);
        public void Dispose() => _bar.Done();
    }
}
