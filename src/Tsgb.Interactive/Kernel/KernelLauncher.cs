using System.Runtime.InteropServices;

namespace TsgbKit.Interactive.Kernel;

/// <summary>
/// The command line that starts THIS installation of the kernel. Installed as a .NET tool, it is the tool's own
/// command (`~/.dotnet/tools/tsgb kernel start {connection_file}`), which `dotnet tool update` keeps valid; from a
/// build output or a published folder, `dotnet /abs/tsgb.dll kernel start {connection_file}`, from the running
/// assembly and the dotnet host.
/// </summary>
public static class KernelLauncher
{
    public const string ConnectionFilePlaceholder = "{connection_file}";
    const string ToolCommand = "tsgb";

    public static IReadOnlyList<string> Argv()
    {
        var assembly = typeof(KernelLauncher).Assembly.Location;
        string[] tail = ["kernel", "start", ConnectionFilePlaceholder];
        // A single-file app has no assembly file: it is its own launcher.
        if (assembly.Length == 0) return [Environment.ProcessPath ?? ToolCommand, .. tail];
        if (ToolShim(assembly) is { } shim) return [shim, .. tail];
        return [DotnetHost(), Path.GetFullPath(assembly), .. tail];
    }

    /// <summary>
    /// The environment the kernelspec sets: for the tool's command (an apphost), DOTNET_ROOT of the runtime it was
    /// installed with, so that Jupyter starts it even where dotnet is not in a default location or on PATH.
    /// </summary>
    public static IReadOnlyDictionary<string, string> EnvironmentFor(IReadOnlyList<string> argv)
    {
        if (argv.Count == 0 || Path.GetFileNameWithoutExtension(argv[0]) == "dotnet") return new Dictionary<string, string>();
        var host = DotnetHost();
        return Path.IsPathFullyQualified(host)
            ? new Dictionary<string, string> { ["DOTNET_ROOT"] = Path.GetDirectoryName(host)! }
            : new Dictionary<string, string>();
    }

    /// <summary>
    /// The command a .NET tool install made for this assembly, or null where it was not installed as a tool.
    /// `dotnet tool install` (global or --tool-path DIR) puts the command at DIR/tsgb and the package under
    /// DIR/.store/tsgb/VERSION/tsgb.RID/VERSION/tools/TFM/RID/ (a RID-specific tool, as ours is; DIR/tsgb is a link to
    /// its apphost there) or DIR/.store/tsgb/VERSION/tsgb/VERSION/tools/TFM/any/ (a portable one).
    /// </summary>
    public static string? ToolShim(string assemblyPath)
    {
        for (var folder = Path.GetDirectoryName(Path.GetFullPath(assemblyPath)); folder is not null; folder = Path.GetDirectoryName(folder))
        {
            if (Path.GetFileName(folder) != ".store") continue;
            var root = Path.GetDirectoryName(folder)!;
            var shim = Path.Combine(root, OperatingSystem.IsWindows() ? ToolCommand + ".exe" : ToolCommand);
            return File.Exists(shim) ? shim : null;
        }
        return null;
    }

    /// <summary>The dotnet executable that runs us (or, under an apphost, the one of the runtime we run on).</summary>
    public static string DotnetHost()
    {
        var process = Environment.ProcessPath;
        if (process is not null && Path.GetFileNameWithoutExtension(process) == "dotnet") return process;
        var fromCli = Environment.GetEnvironmentVariable("DOTNET_HOST_PATH");
        if (!string.IsNullOrEmpty(fromCli) && File.Exists(fromCli)) return fromCli;
        // …/dotnet/shared/Microsoft.NETCore.App/<version>/ → …/dotnet/dotnet
        var runtime = RuntimeEnvironment.GetRuntimeDirectory();
        var root = Path.GetFullPath(Path.Combine(runtime, "..", "..", ".."));
        var candidate = Path.Combine(root, OperatingSystem.IsWindows() ? "dotnet.exe" : "dotnet");
        return File.Exists(candidate) ? candidate : "dotnet";
    }
}
