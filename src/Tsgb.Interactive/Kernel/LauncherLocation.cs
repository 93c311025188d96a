using System.Text.RegularExpressions;

namespace TsgbKit.Interactive.Kernel;

/// <summary>
/// Whether the files a kernelspec's argv starts will still be there when Jupyter next launches it. The question is
/// where the kernel's executable lives, not where the kernelspec is written (a throwaway prefix is fine).
/// </summary>
public static partial class LauncherLocation
{
    /// <summary>
    /// The folders whose content does not outlive a reboot or a cleanup: $TMPDIR, the runtime's temp path, /tmp and
    /// /dev/shm. (/var/tmp is meant to survive reboots, and is not one.)
    /// </summary>
    public static IReadOnlyList<string> TemporaryFolders()
    {
        var folders = new List<string?> { Environment.GetEnvironmentVariable("TMPDIR"), Path.GetTempPath() };
        if (!OperatingSystem.IsWindows()) folders.AddRange(["/tmp", "/dev/shm"]);
        return folders.Where(f => !string.IsNullOrEmpty(f)).Select(f => Normalize(f!)).Distinct().ToList();
    }

    /// <summary>The first argv file under one of <paramref name="temporaryFolders"/>, and that folder; null where none is.</summary>
    public static (string File, string Folder)? InTemporaryFolder(IEnumerable<string> argv, IEnumerable<string> temporaryFolders)
    {
        var folders = temporaryFolders.Select(Normalize).ToList();
        foreach (var argument in argv.Where(a => Path.IsPathFullyQualified(a)))
        {
            var file = Path.GetFullPath(argument);
            var folder = folders.FirstOrDefault(f => file.StartsWith(f + Path.DirectorySeparatorChar, StringComparison.Ordinal));
            if (folder is not null) return (file, folder);
        }
        return null;
    }

    [GeneratedRegex(@"[/\\]bin[/\\][^/\\]+[/\\]net[0-9.]+[/\\][^/\\]+$")]
    private static partial Regex BuildOutputFile();

    /// <summary>Whether an argv file is an assembly in a build output folder (…/bin/CONFIGURATION/netX.Y/).</summary>
    public static string? BuildOutput(IEnumerable<string> argv) =>
        argv.FirstOrDefault(a => Path.IsPathFullyQualified(a) && BuildOutputFile().IsMatch(a));

    private static string Normalize(string folder) => Path.TrimEndingDirectorySeparator(Path.GetFullPath(folder));
}
