using TsgbKit.Errors;

namespace TsgbKit.Interactive.Cli;

/// <summary>
/// Turns the errors a user can cause into one line on stderr and a non-zero exit, never a stack trace: the project's
/// own user-error types (<see cref="IUserError"/>: a wrong file, key, shape, label, layer, option) and the file
/// system's errors on a path the user gave. Anything else — an ArgumentException of TorchSharp, an "unreachable"
/// InvalidOperationException — is a bug and keeps its trace.
/// </summary>
internal static class UserErrors
{
    public static bool IsUserError(Exception e) => e is IUserError or DirectoryNotFoundException or UnauthorizedAccessException
        || e is FileNotFoundException { FileName: { } file } && IsFilePath(file);

    /// <summary>A file the user named has a path; an assembly that failed to load has a display name ("X, Version=…").</summary>
    private static bool IsFilePath(string name) => Path.IsPathRooted(name) || !name.Contains(", Version=", StringComparison.Ordinal);

    public static int Run(Func<int> action)
    {
        try
        {
            return action();
        }
        catch (Exception e) when (IsUserError(e))
        {
            Console.Error.WriteLine($"error: {e.Message}");
            return 2;
        }
    }
}
