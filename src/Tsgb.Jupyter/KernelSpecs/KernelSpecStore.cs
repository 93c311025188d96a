using System.Text.RegularExpressions;

namespace TsgbKit.Jupyter.KernelSpecs;

/// <summary>Installs, lists and removes kernelspecs the way `jupyter kernelspec` does.</summary>
public static partial class KernelSpecStore
{
    [GeneratedRegex("^[a-z0-9._-]+$", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex ValidName();

    /// <summary>Kernel names are case-insensitive in Jupyter, stored lowercase, made of letters, digits, . _ -.</summary>
    public static string NormalizeName(string name)
    {
        if (!ValidName().IsMatch(name))
            throw new ArgumentException($"Invalid kernel name '{name}': use letters, digits, '.', '_' and '-'.", nameof(name));
        return name.ToLowerInvariant();
    }

    /// <summary>Writes LOCATION/name/kernel.json (and logos), replacing an existing spec of that name. Returns the folder.</summary>
    public static string Install(string name, KernelSpec spec, KernelSpecLocation location, KernelSpecLogos? logos = null)
    {
        var dir = Path.Combine(location.KernelsDirectory, NormalizeName(name));
        if (Directory.Exists(dir)) Directory.Delete(dir, recursive: true); // stale logos must not survive a reinstall
        Directory.CreateDirectory(dir);
        File.WriteAllText(Path.Combine(dir, "kernel.json"), spec.ToJson());
        if (logos?.Logo32x32 is { } small) File.WriteAllBytes(Path.Combine(dir, "logo-32x32.png"), small);
        if (logos?.Logo64x64 is { } large) File.WriteAllBytes(Path.Combine(dir, "logo-64x64.png"), large);
        return dir;
    }

    /// <summary>
    /// Removes a kernelspec from <paramref name="location"/>, or, without one, the spec that <see cref="Find"/> sees.
    /// Returns the removed folder, or null when there was none.
    /// </summary>
    public static string? Uninstall(string name, KernelSpecLocation? location = null, IEnumerable<string>? prefixes = null)
    {
        var dir = location is not null
            ? Path.Combine(location.KernelsDirectory, NormalizeName(name))
            : Find(name, prefixes)?.Directory;
        if (dir is null || !Directory.Exists(dir)) return null;
        Directory.Delete(dir, recursive: true);
        return dir;
    }

    /// <summary>The spec jupyter would launch for a name: the first in the search path.</summary>
    public static InstalledKernelSpec? Find(string name, IEnumerable<string>? prefixes = null)
    {
        var normalized = NormalizeName(name);
        return List(prefixes).FirstOrDefault(s => s.Name == normalized);
    }

    /// <summary>
    /// Every kernelspec in the search path (JUPYTER_PATH, user, the given prefixes, system); where a name occurs in
    /// several directories the first wins, as in jupyter_client. Folders without a readable kernel.json are skipped.
    /// </summary>
    public static IReadOnlyList<InstalledKernelSpec> List(IEnumerable<string>? prefixes = null)
    {
        var found = new Dictionary<string, InstalledKernelSpec>(StringComparer.Ordinal);
        foreach (var dataDir in JupyterPaths.DataSearchPath(prefixes))
        {
            var kernels = Path.Combine(dataDir, "kernels");
            if (!Directory.Exists(kernels)) continue;
            foreach (var dir in Directory.EnumerateDirectories(kernels).Order(StringComparer.Ordinal))
            {
                var name = Path.GetFileName(dir).ToLowerInvariant();
                if (found.ContainsKey(name) || !ValidName().IsMatch(name)) continue;
                var file = Path.Combine(dir, "kernel.json");
                if (!File.Exists(file)) continue;
                try { found[name] = new InstalledKernelSpec(name, dir, KernelSpec.FromJson(File.ReadAllText(file))); }
                catch (Exception e) when (e is FormatException or System.Text.Json.JsonException or InvalidOperationException or IOException) { }
            }
        }
        return found.Values.OrderBy(s => s.Name, StringComparer.Ordinal).ToArray();
    }
}
