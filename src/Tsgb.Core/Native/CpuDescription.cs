namespace TsgbKit.Native;

/// <summary>The CPU as /proc/cpuinfo names it (Linux); empty elsewhere.</summary>
public static class CpuDescription
{
    static readonly Lazy<Dictionary<string, string>> FirstProcessor = new(Read);

    public static string ModelName => FirstProcessor.Value.GetValueOrDefault("model name", "unknown");

    /// <summary>Vendor, family and model numbers, e.g. "AuthenticAMD family 26 model 2".</summary>
    public static string Identity => $"{FirstProcessor.Value.GetValueOrDefault("vendor_id", "?")} family {FirstProcessor.Value.GetValueOrDefault("cpu family", "?")} model {FirstProcessor.Value.GetValueOrDefault("model", "?")}";

    public static IReadOnlyList<string> Flags => FirstProcessor.Value.GetValueOrDefault("flags", "").Split(' ', StringSplitOptions.RemoveEmptyEntries);

    static Dictionary<string, string> Read()
    {
        var fields = new Dictionary<string, string>();
        try
        {
            foreach (var line in File.ReadLines("/proc/cpuinfo"))
            {
                if (line.Length == 0) break; // the first processor is enough
                var colon = line.IndexOf(':');
                if (colon > 0) fields.TryAdd(line[..colon].Trim(), line[(colon + 1)..].Trim());
            }
        }
        catch (IOException) { }
        catch (UnauthorizedAccessException) { }
        return fields;
    }
}
