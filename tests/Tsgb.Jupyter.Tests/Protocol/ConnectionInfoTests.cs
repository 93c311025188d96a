using TsgbKit.Jupyter.Connection;
using TsgbKit.Jupyter.Tests.Support;

namespace TsgbKit.Jupyter.Tests.Protocol;

public sealed class ConnectionInfoTests
{
    [Fact]
    public void Parses_a_jupyter_client_connection_file_and_ignores_unknown_fields()
    {
        var info = ConnectionInfo.Parse("""
            {"shell_port": 5001, "iopub_port": 5002, "stdin_port": 5003, "control_port": 5004, "hb_port": 5005,
             "ip": "127.0.0.1", "key": "a0436f6c-1916-498b", "transport": "tcp", "signature_scheme": "hmac-sha256",
             "kernel_name": "tsgb", "jupyter_session": "/nb.ipynb"}
            """);

        Assert.Equal((5001, 5002, 5003, 5004, 5005), (info.ShellPort, info.IOPubPort, info.StdinPort, info.ControlPort, info.HeartbeatPort));
        Assert.Equal("a0436f6c-1916-498b", info.Key);
        Assert.Equal("hmac-sha256", info.SignatureScheme);
        Assert.Equal("tcp://127.0.0.1:5001", info.Endpoint(info.ShellPort));
    }

    [Fact]
    public void Unknown_transport_is_rejected()
    {
        Assert.Throws<FormatException>(() => ConnectionInfo.Parse("""{"transport": "udp", "ip": "x"}"""));
    }

    [Fact]
    public void Ipc_is_refused_with_a_clear_error_instead_of_a_silent_kernel()
    {
        var ex = Assert.Throws<NotSupportedException>(() =>
            new KernelServer(new ConnectionInfo { Transport = "ipc", Ip = "kernel" }, new FakeInterpreter()));
        Assert.Contains("tcp", ex.Message);
    }

    [Fact]
    public void Unsupported_signature_scheme_is_rejected()
    {
        Assert.Throws<NotSupportedException>(() =>
            new KernelServer(new ConnectionInfo { Key = "k", SignatureScheme = "hmac-md5" }, new FakeInterpreter(),
                new KernelServerOptions { Log = new KernelLog(TextWriter.Null) }));
    }
}
