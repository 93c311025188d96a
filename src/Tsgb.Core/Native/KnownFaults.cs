using System.Security.Cryptography;
using System.Text;

namespace TsgbKit.Native;

/// <summary>
/// The configurations that failed a probe on this machine before, kept in the cache folder per CPU and libtorch
/// build. Faulty kernels fail at random (one probe in two to seven in five on the CPU where this was found), so a
/// configuration that failed once is not trusted again here, even when a later run's probes happen to pass.
/// Delete the file to test it again.
/// </summary>
public sealed class KnownFaults(string path)
{
    public string Path { get; } = path;

    /// <summary>The file for this CPU (model and flags) and this libtorch build.</summary>
    public static KnownFaults ForThisMachine(string libtorchBuild)
    {
        var key = $"{CpuDescription.ModelName}\n{string.Join(' ', CpuDescription.Flags)}\n{libtorchBuild}";
        var hash = Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(key)))[..16].ToLowerInvariant();
        return new KnownFaults(System.IO.Path.Combine(CacheFolder.Root, "selfcheck", $"faults-{hash}.tsv"));
    }

    /// <summary>The recorded failure of a configuration ("probe: error, date"), or null.</summary>
    public string? Find(TorchConfiguration configuration)
    {
        try
        {
            if (!File.Exists(Path)) return null;
            return File.ReadLines(Path).Select(l => l.Split('\t')).Where(f => f.Length >= 3 && f[0] == configuration.Name)
                .Select(f => $"{f[1]} ({f[2]})").FirstOrDefault();
        }
        catch (IOException) { return null; }
        catch (UnauthorizedAccessException) { return null; }
    }

    public void Remember(TorchConfiguration configuration, ProbeResult failure)
    {
        try
        {
            Directory.CreateDirectory(System.IO.Path.GetDirectoryName(Path)!);
            var detail = failure.Exception ?? $"relative error {failure.Error:0.0e+0}";
            File.AppendAllText(Path, $"{configuration.Name}\t{failure.Probe}\t{detail}, {DateTime.UtcNow:yyyy-MM-dd}\n");
        }
        catch (IOException) { } // a read-only cache only costs the memory, not the check
        catch (UnauthorizedAccessException) { }
    }
}
