using System.Collections.Concurrent;
using TsgbKit.Jupyter;

namespace TsgbKit.Scripting.Magics;

/// <summary>Handles one magic line (<c>#!name arguments</c>); returns an optional result bundle.</summary>
public delegate Task<MimeBundle?> MagicHandler(MagicContext context);

/// <summary>A magic command: <c>#!Name</c> at the top of a cell.</summary>
public sealed record MagicCommand(string Name, string Help, MagicHandler Handler)
{
    /// <summary>A magic with a synchronous handler.</summary>
    public MagicCommand(string name, string help, Func<MagicContext, MimeBundle?> handler)
        : this(name, help, ctx => Task.FromResult(handler(ctx))) { }
}

/// <summary>
/// An error of the user's making in a magic (bad arguments, missing file): its message becomes the cell's single
/// error output, with no stack trace.
/// </summary>
public class MagicException : Exception
{
    public MagicException(string message) : base(message) { }
    public MagicException(string message, Exception inner) : base(message, inner) { }
}

/// <summary>The magics an interpreter knows; hosts add theirs with <see cref="Register"/>.</summary>
public sealed class MagicRegistry
{
    private readonly ConcurrentDictionary<string, MagicCommand> _commands = new(StringComparer.Ordinal);

    /// <summary>Adds (or replaces) a magic; the name is given without "#!".</summary>
    public void Register(MagicCommand command)
    {
        var name = command.Name.StartsWith("#!", StringComparison.Ordinal) ? command.Name[2..] : command.Name;
        if (name.Length == 0 || name.Any(char.IsWhiteSpace))
            throw new ArgumentException($"Invalid magic name '{command.Name}'.", nameof(command));
        _commands[name] = command with { Name = name };
    }

    public bool Unregister(string name) => _commands.TryRemove(name, out _);

    public bool TryGet(string name, out MagicCommand command) => _commands.TryGetValue(name, out command!);

    public IReadOnlyList<MagicCommand> All => _commands.Values.OrderBy(c => c.Name, StringComparer.Ordinal).ToList();
}

/// <summary>Reading and binding the variables of the interpreter's session.</summary>
public interface IScriptVariables
{
    /// <summary>Names of the variables declared so far (the latest declaration of each name).</summary>
    IReadOnlyList<string> Names { get; }

    /// <summary>The value of a variable; false when there is none of that name.</summary>
    bool TryGetValue(string name, out object? value);

    /// <summary>The declared type of a variable, or null.</summary>
    Type? GetDeclaredType(string name);

    /// <summary>
    /// Makes <paramref name="name"/> a variable of the session, typed as <paramref name="declaredType"/> (by default
    /// the value's public type), usable in the rest of the cell and in later cells. Within a magic handler the binding
    /// takes effect when the handler returns or runs the cell body, whichever comes first.
    /// </summary>
    void SetVariable(string name, object? value, Type? declaredType = null);
}

/// <summary>What a magic handler gets.</summary>
public sealed class MagicContext
{
    private readonly Func<CancellationToken, Task<ExecutionOutcome>> _runBody;

    internal MagicContext(string name, string arguments, string body, IExecutionOutput output, CancellationToken cancel,
        IScriptVariables variables, Func<CancellationToken, Task<ExecutionOutcome>> runBody)
    {
        Name = name; Arguments = arguments; Body = body; Output = output; CancellationToken = cancel;
        Variables = variables; _runBody = runBody;
    }

    /// <summary>The magic's name (without "#!").</summary>
    public string Name { get; }

    /// <summary>The rest of the magic line after the name, trimmed.</summary>
    public string Arguments { get; }

    /// <summary>The cell text after the magic line.</summary>
    public string Body { get; }

    public IExecutionOutput Output { get; }

    public CancellationToken CancellationToken { get; }

    public IScriptVariables Variables { get; }

    /// <summary>Whether <see cref="RunBodyAsync"/> was called.</summary>
    public bool BodyRun { get; private set; }

    /// <summary>
    /// Runs the cell body (which may start with further magics) as code now. Without a call, the interpreter runs
    /// the body after the handler returns. The outcome is that of the body; its error, if any, becomes the cell's.
    /// </summary>
    public Task<ExecutionOutcome> RunBodyAsync()
    {
        BodyRun = true;
        return _runBody(CancellationToken);
    }

    /// <summary>Splits <see cref="Arguments"/> at blanks, keeping "quoted strings" together.</summary>
    public IReadOnlyList<string> SplitArguments()
    {
        var list = new List<string>();
        var current = new System.Text.StringBuilder();
        var quoted = false;
        var any = false;
        foreach (var ch in Arguments)
        {
            if (ch == '"') { quoted = !quoted; any = true; continue; }
            if (!quoted && char.IsWhiteSpace(ch))
            {
                if (any) { list.Add(current.ToString()); current.Clear(); any = false; }
                continue;
            }
            current.Append(ch); any = true;
        }
        if (any) list.Add(current.ToString());
        return list;
    }
}
