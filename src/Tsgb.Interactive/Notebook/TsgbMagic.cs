using System.CommandLine;
using System.CommandLine.Help;
using System.CommandLine.Parsing;
using System.Reflection;
using TsgbKit.Interactive.Cli;
using TsgbKit.Interactive.Commands;
using TsgbKit.Jupyter;
using TsgbKit.Scripting.Magics;

namespace TsgbKit.Interactive.Notebook;

/// <summary>
/// <c>#!tsgb …</c>: the `tsgb` command grammar (<see cref="TsgbCommands"/>, the very one of the shell) run against
/// the kernel's <see cref="NotebookSurface"/>. Help is plain output; parse errors and errors of the user's making
/// (a missing file, an unknown label…) are one error message without a stack trace; anything else is a bug and
/// keeps its trace.
/// </summary>
public static class TsgbMagic
{
    public const string Name = "tsgb";

    public static MagicCommand Create(NotebookSurface surface) => new(Name,
        "Tsgb commands, the grammar of the `tsgb` tool: #!tsgb explain --scene 3 --target circle --as e; #!tsgb --help",
        ctx => RunAsync(surface, ctx));

    private static async Task<MimeBundle?> RunAsync(NotebookSurface surface, MagicContext ctx)
    {
        var args = HelpRequest(ctx.SplitArguments());
        if (args is ["kernel", "start", ..] && !args.Contains("--help"))
            throw new MagicException("`tsgb kernel start` is what Jupyter runs to start a kernel: not for a cell");
        var parse = TsgbCommands.Create(surface).Parse(args);
        if (parse.Action is not HelpAction && parse.Errors.Count > 0)
        {
            var command = CommandPath(parse);
            var hint = command.Length == 0 ? "#!tsgb --help" : $"#!tsgb {command} --help";
            throw new MagicException($"{string.Join(Environment.NewLine, parse.Errors.Select(e => e.Message))} (see {hint})");
        }

        var configuration = new InvocationConfiguration
        {
            Output = surface.Out,
            Error = surface.Out,
            EnableDefaultExceptionHandler = false, // exceptions come back to us, to become one readable error
            ProcessTerminationTimeout = null,      // the kernel, not the parser, owns SIGINT and SIGTERM
        };

        using var attached = surface.Attach(ctx);
        // Commands are synchronous; on a separate thread, an interrupt at least gives the cell back at once.
        var run = Task.Run(() => parse.Invoke(configuration));
        int exitCode;
        try
        {
            exitCode = await run.WaitAsync(ctx.CancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (ctx.CancellationToken.IsCancellationRequested)
        {
            _ = run.ContinueWith(t => _ = t.Exception, TaskScheduler.Default); // it finishes unobserved
            throw;
        }
        catch (Exception e) when (IsUserError(Unwrap(e)))
        {
            throw new MagicException(Unwrap(e).Message);
        }
        if (exitCode != 0) throw new MagicException($"the command failed (exit code {exitCode})");
        return null;
    }

    /// <summary>`#!tsgb` and `#!tsgb help [command…]` show the help text, as `--help` does.</summary>
    internal static IReadOnlyList<string> HelpRequest(IReadOnlyList<string> args)
    {
        if (args.Count == 0) return ["--help"];
        if (args[0] == "help") return [.. args.Skip(1), "--help"];
        return args;
    }

    /// <summary>"explain" for `#!tsgb explain --bad`: the subcommands the line reached.</summary>
    private static string CommandPath(ParseResult parse)
    {
        var names = new List<string>();
        for (SymbolResult? r = parse.CommandResult; r is CommandResult c; r = c.Parent)
            if (c.Command is not RootCommand) names.Insert(0, c.Command.Name);
        return string.Join(" ", names);
    }

    /// <summary>The CLI's user errors and the magic's own; everything else keeps its trace.</summary>
    internal static bool IsUserError(Exception e) => e is MagicException || UserErrors.IsUserError(e);

    private static Exception Unwrap(Exception e) => e switch
    {
        AggregateException { InnerExceptions.Count: 1 } a => Unwrap(a.InnerExceptions[0]),
        TargetInvocationException { InnerException: { } inner } => Unwrap(inner),
        _ => e,
    };
}
