using System.Text.Json;
using System.Text.Json.Serialization;

namespace TsgbKit.Jupyter.Connection;

/// <summary>
/// The connection file that the frontend writes before starting the kernel: where to bind and how to sign.
/// A port of 0 means "pick a free one" (the bound ports are then reported by <see cref="KernelServer.Connection"/>).
/// </summary>
public sealed record ConnectionInfo
{
    [JsonPropertyName("transport")] public string Transport { get; init; } = "tcp";
    [JsonPropertyName("ip")] public string Ip { get; init; } = "127.0.0.1";
    [JsonPropertyName("shell_port")] public int ShellPort { get; init; }
    [JsonPropertyName("iopub_port")] public int IOPubPort { get; init; }
    [JsonPropertyName("stdin_port")] public int StdinPort { get; init; }
    [JsonPropertyName("control_port")] public int ControlPort { get; init; }
    [JsonPropertyName("hb_port")] public int HeartbeatPort { get; init; }
    [JsonPropertyName("key")] public string Key { get; init; } = "";
    [JsonPropertyName("signature_scheme")] public string SignatureScheme { get; init; } = "hmac-sha256";
    [JsonPropertyName("kernel_name")] public string? KernelName { get; init; }

    public static ConnectionInfo Parse(string json)
    {
        var info = JsonSerializer.Deserialize<ConnectionInfo>(json)
            ?? throw new FormatException("The connection file is empty.");
        if (info.Transport is not ("tcp" or "ipc"))
            throw new FormatException($"Unsupported transport '{info.Transport}' (expected tcp or ipc).");
        if (string.IsNullOrWhiteSpace(info.Ip))
            throw new FormatException("The connection file has no ip.");
        return info;
    }

    public static ConnectionInfo Load(string path) => Parse(File.ReadAllText(path));

    public string ToJson() => JsonSerializer.Serialize(this, new JsonSerializerOptions { WriteIndented = true });

    /// <summary>The ZeroMQ endpoint for a port, following jupyter_client: tcp://ip:port, or ipc://ip-port.</summary>
    internal string Endpoint(int port) => Transport == "ipc" ? $"ipc://{Ip}-{port}" : $"tcp://{Ip}:{port}";

    /// <summary>The endpoint prefix for binding to a random port (tcp only).</summary>
    internal string RandomPortEndpoint => $"tcp://{Ip}";
}
