using System.Runtime.InteropServices;

namespace TsgbKit.Interactive.Kernel;

/// <summary>
/// The command line that starts THIS build of the kernel: `dotnet /abs/tsgb.dll kernel start {connection_file}`,
/// from the running assembly and the dotnet host, so that `dotnet run`, a build output and a published folder all
/// install a kernelspec that launches themselves.
/// </summary>
public static class KernelLauncher
{
    public const string ConnectionFilePlaceholder = "{connection_file}";

    public static IReadOnlyList<string> Argv()
    {
        var assembly = typeof(KernelLauncher).Assembly.Location;
        string[] tail = ["kernel", "start", ConnectionFilePlaceholder];
        // A single-file app has no assembly file: it is its own launcher.
        if (assembly.Length == 0) return [Environment.ProcessPath ?? "tsgb", .. tail];
        return [DotnetHost(), Path.GetFullPath(assembly), .. tail];
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
