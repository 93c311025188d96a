using TsgbKit.Interactive.Commands;
using TsgbKit.Jupyter;
using TsgbKit.Scripting.Formatting;
using TsgbKit.Scripting.Magics;

namespace TsgbKit.Interactive.Notebook;

/// <summary>
/// Where `#!tsgb` commands put their results in a notebook: values are displayed inline through the formatter
/// registry, `--as NAME` binds a typed C# variable, progress is one updating output. One surface (and so one
/// <see cref="CommandSession"/>) lives as long as the kernel; each magic line attaches its cell while it runs.
/// </summary>
public sealed class NotebookSurface : ICommandSurface
{
    private MagicContext? _cell;

    public NotebookSurface() => Out = new CellTextWriter(() => _cell?.Output);

    public bool IsNotebook => true;

    /// <summary>The running cell's stdout (writes outside a magic are dropped).</summary>
    public TextWriter Out { get; }

    public CommandSession Session { get; } = new();

    /// <summary>Attaches the magic's cell until the returned scope is disposed.</summary>
    internal IDisposable Attach(MagicContext cell)
    {
        _cell = cell;
        return new Detach(this, cell);
    }

    private MagicContext Cell => _cell ?? throw new InvalidOperationException("no #!tsgb command is running");

    public void Show(object value) => Cell.Output.Display(MimeFormatter.Format(value));

    /// <summary>Typed as the value's own class (so `e.TargetName` compiles in the next cell), or its nearest public base.</summary>
    public void Bind(string name, object value) => Cell.Variables.SetVariable(name, value, PublicTypeOf(value));

    /// <summary>A cell can only name public types: a value of a non-public class is typed as its nearest public base.</summary>
    internal static Type PublicTypeOf(object value)
    {
        for (var type = value.GetType(); type is not null; type = type.BaseType)
            if (type.IsVisible) return type;
        return typeof(object);
    }

    public IProgressDisplay StartProgress(string label) => new NotebookProgress(Cell.Output, label);

    private sealed class Detach(NotebookSurface surface, MagicContext cell) : IDisposable
    {
        public void Dispose()
        {
            surface.Out.Flush();
            if (ReferenceEquals(surface._cell, cell)) surface._cell = null;
        }
    }
}
