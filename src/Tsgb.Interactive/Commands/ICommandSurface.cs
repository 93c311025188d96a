using TsgbKit.Explain;
using TsgbKit.Models;

namespace TsgbKit.Interactive.Commands;

/// <summary>
/// Where a `tsgb` command shows its results. The grammar (System.CommandLine) is one for the shell and the
/// notebook; only the surface differs: the console prints text and writes files, the notebook displays values
/// inline and binds them to C# variables.
/// </summary>
public interface ICommandSurface
{
    /// <summary>True in a notebook: values are displayed rich, and --as binds variables.</summary>
    bool IsNotebook { get; }

    /// <summary>Text output (stdout of the tool, the cell's stdout in a notebook).</summary>
    TextWriter Out { get; }

    /// <summary>Shows a result: an Explanation, an ExplanationSet, a DataFrame, an image, or any value.</summary>
    void Show(object value);

    /// <summary>`--as NAME`: makes the value a C# variable of later cells (notebook only).</summary>
    void Bind(string name, object value);

    /// <summary>A progress display for a long operation: one updating line (terminal) or one updating output (notebook).</summary>
    IProgressDisplay StartProgress(string label);

    /// <summary>State that lives across commands in a notebook session (the console starts empty every time).</summary>
    CommandSession Session { get; }
}

/// <summary>One updating progress display.</summary>
public interface IProgressDisplay : IDisposable
{
    void Report(double fraction, string detail);
}

/// <summary>What `#!tsgb model` loaded and what the last `explain` produced, for the commands that follow.</summary>
public sealed class CommandSession
{
    public Classifier? Model { get; set; }
    public Explanation? LastExplanation { get; set; }
    public IReadOnlyList<Explanation>? LastExplanations { get; set; }
}
