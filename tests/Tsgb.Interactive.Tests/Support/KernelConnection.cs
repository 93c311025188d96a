using System.Net;
using System.Net.Sockets;
using System.Text.Json.Nodes;

namespace TsgbKit.Interactive.Tests.Support;

/// <summary>A connection file on loopback with five free ports and a fresh key.</summary>
internal sealed record KernelConnection(int ShellPort, int IOPubPort, int StdinPort, int ControlPort, int HeartbeatPort, string Key)
{
    public static KernelConnection Create()
    {
        // Five listeners at once so that the five ports differ; freed just before the kernel binds them.
        var listeners = Enumerable.Range(0, 5).Select(_ => new TcpListener(IPAddress.Loopback, 0)).ToArray();
        foreach (var l in listeners) l.Start();
        var ports = listeners.Select(l => ((IPEndPoint)l.LocalEndpoint).Port).ToArray();
        foreach (var l in listeners) l.Stop();
        return new KernelConnection(ports[0], ports[1], ports[2], ports[3], ports[4], Guid.NewGuid().ToString());
    }

    public string Endpoint(int port) => $"tcp://127.0.0.1:{port}";

    public void Write(string path) => File.WriteAllText(path, new JsonObject
    {
        ["transport"] = "tcp", ["ip"] = "127.0.0.1", ["shell_port"] = ShellPort, ["iopub_port"] = IOPubPort,
        ["stdin_port"] = StdinPort, ["control_port"] = ControlPort, ["hb_port"] = HeartbeatPort,
        ["key"] = Key, ["signature_scheme"] = "hmac-sha256", ["kernel_name"] = "tsgb-csharp",
    }.ToJsonString());
}
