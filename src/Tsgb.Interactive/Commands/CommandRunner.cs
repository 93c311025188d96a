using TsgbKit.Interactive.Cli;

namespace TsgbKit.Interactive.Commands;

/// <summary>
/// Runs a command's action: on the console a user error is one line on stderr and exit code 2; in a notebook it
/// propagates (the magic turns it into one error output).
/// </summary>
internal static class CommandRunner
{
    public static int Run(ICommandSurface surface, Func<int> action) =>
        surface.IsNotebook ? action() : UserErrors.Run(action);
}
