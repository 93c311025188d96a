using TsgbKit.Jupyter.Connection;

namespace TsgbKit.Jupyter.Tests.Support;

/// <summary>A kernel on random loopback ports with the fake interpreter, and a connected client.</summary>
internal sealed class KernelHarness : IDisposable
{
    public KernelHarness(string? key = null)
    {
        var connection = new ConnectionInfo { Ip = "127.0.0.1", Key = key ?? Guid.NewGuid().ToString() };
        _logWriter = TextWriter.Synchronized(_logText);
        Server = new KernelServer(connection, Interpreter, new KernelServerOptions { Log = new KernelLog(_logWriter) });
        Server.Start();
        Client = new TestKernelClient(Server.Connection);
        Client.WaitUntilIOPubConnected();
    }

    public FakeInterpreter Interpreter { get; } = new();
    private readonly StringWriter _logText = new();
    private readonly TextWriter _logWriter; // Synchronized: its methods lock the wrapper, as Log does
    public KernelServer Server { get; }
    public TestKernelClient Client { get; }

    public string Log
    {
        get { lock (_logWriter) return _logText.ToString(); }
    }

    public void Dispose()
    {
        Interpreter.Gate.Release(100); // let blocked cells end
        Client.Dispose();
        Server.Dispose();
    }
}
