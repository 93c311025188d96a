namespace TsgbKit.Jupyter.KernelSpecs;

/// <summary>Jupyter's data directories, resolved as jupyter_core does (JUPYTER_DATA_DIR, XDG, JUPYTER_PATH).</summary>
public static class JupyterPaths
{
    /// <summary>The user's Jupyter data directory, e.g. ~/.local/share/jupyter on Linux.</summary>
    public static string UserDataDirectory()
    {
        var explicitDir = Environment.GetEnvironmentVariable("JUPYTER_DATA_DIR");
        if (!string.IsNullOrEmpty(explicitDir)) return explicitDir;
        var home = Environment.GetFolderPath(Environment.SpecialFolder.UserProfile);
        if (OperatingSystem.IsWindows())
            return Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.ApplicationData), "jupyter");
        if (OperatingSystem.IsMacOS()) return Path.Combine(home, "Library", "Jupyter");
        var xdg = Environment.GetEnvironmentVariable("XDG_DATA_HOME");
        return Path.Combine(string.IsNullOrEmpty(xdg) ? Path.Combine(home, ".local", "share") : xdg, "jupyter");
    }

    /// <summary>System-wide data directories, most specific first.</summary>
    public static IReadOnlyList<string> SystemDataDirectories() => OperatingSystem.IsWindows()
        ? [Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.CommonApplicationData), "jupyter")]
        : ["/usr/local/share/jupyter", "/usr/share/jupyter"];

    /// <summary>The data directory of an environment prefix: PREFIX/share/jupyter.</summary>
    public static string PrefixDataDirectory(string prefix) => Path.Combine(prefix, "share", "jupyter");

    /// <summary>
    /// Data directories in jupyter_client's search order: JUPYTER_PATH entries, the user directory, the given
    /// environment prefixes (jupyter uses sys.prefix), then the system directories.
    /// </summary>
    public static IReadOnlyList<string> DataSearchPath(IEnumerable<string>? prefixes = null)
    {
        var dirs = new List<string>();
        var jupyterPath = Environment.GetEnvironmentVariable("JUPYTER_PATH");
        if (!string.IsNullOrEmpty(jupyterPath))
            dirs.AddRange(jupyterPath.Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries));
        dirs.Add(UserDataDirectory());
        foreach (var prefix in prefixes ?? []) dirs.Add(PrefixDataDirectory(prefix));
        dirs.AddRange(SystemDataDirectories());
        return dirs.Select(Path.GetFullPath).Distinct(StringComparer.Ordinal).ToArray();
    }
}
