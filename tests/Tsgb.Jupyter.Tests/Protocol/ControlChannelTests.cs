using System.Text;
using System.Text.Json.Nodes;
using TsgbKit.Jupyter.Messages;
using TsgbKit.Jupyter.Tests.Support;

namespace TsgbKit.Jupyter.Tests.Protocol;

public sealed class ControlChannelTests
{
    private static void StartLoop(KernelHarness kernel, out string msgId)
    {
        msgId = kernel.Client.Execute("loop");
        Assert.True(kernel.Interpreter.Started.Wait(TestKernelClient.Timeout), "the looping cell never started");
    }

    [Fact]
    public void Interrupt_on_control_ends_a_looping_cell_and_the_kernel_stays_usable()
    {
        using var kernel = new KernelHarness();
        StartLoop(kernel, out var loopId);

        var interruptId = kernel.Client.Send(kernel.Client.Control, "interrupt_request", new JsonObject());
        var interruptReply = kernel.Client.ReceiveReply(kernel.Client.Control, interruptId);
        var executeReply = kernel.Client.ReceiveReply(kernel.Client.Shell, loopId);

        Assert.Equal("interrupt_reply", interruptReply.MsgType);
        Assert.Equal("ok", interruptReply.Content.GetString("status"));
        Assert.Contains(executeReply.Content.GetString("status"), new[] { "error", "aborted" });
        Assert.Single(kernel.Client.ReceiveIOPubUntilIdle(loopId), m => m.MsgType == "error");

        var next = kernel.Client.Execute("after");
        Assert.Equal("ok", kernel.Client.ReceiveReply(kernel.Client.Shell, next).Content.GetString("status"));
    }

    [Fact]
    public void Server_Interrupt_does_what_SIGINT_is_mapped_to()
    {
        using var kernel = new KernelHarness();
        StartLoop(kernel, out var loopId);

        kernel.Server.Interrupt();

        Assert.Equal("error", kernel.Client.ReceiveReply(kernel.Client.Shell, loopId).Content.GetString("status"));
    }

    [Fact]
    public void Heartbeat_echoes_while_a_cell_runs()
    {
        using var kernel = new KernelHarness();
        StartLoop(kernel, out var loopId);

        var ping = Encoding.ASCII.GetBytes("ping-" + Guid.NewGuid());
        TestKernelClient.SendFrames(kernel.Client.Heartbeat, [ping]);
        var echo = TestKernelClient.TryReceiveFrames(kernel.Client.Heartbeat, TestKernelClient.Timeout);

        Assert.NotNull(echo);
        Assert.Equal(ping, Assert.Single(echo));
        kernel.Server.Interrupt();
        kernel.Client.ReceiveReply(kernel.Client.Shell, loopId);
    }

    [Fact]
    public void Control_kernel_info_is_answered_while_a_cell_runs()
    {
        using var kernel = new KernelHarness();
        StartLoop(kernel, out _);

        var id = kernel.Client.Send(kernel.Client.Control, "kernel_info_request", new JsonObject());
        Assert.Equal("kernel_info_reply", kernel.Client.ReceiveReply(kernel.Client.Control, id).MsgType);
        kernel.Server.Interrupt();
    }

    [Fact]
    public async Task Shutdown_on_control_replies_and_stops_the_server_even_during_a_cell()
    {
        using var kernel = new KernelHarness();
        StartLoop(kernel, out _);

        var id = kernel.Client.Send(kernel.Client.Control, "shutdown_request", new JsonObject { ["restart"] = false });
        var reply = kernel.Client.ReceiveReply(kernel.Client.Control, id);

        Assert.Equal("ok", reply.Content.GetString("status"));
        Assert.False(reply.Content.GetBool("restart", true));
        await kernel.Server.Completion.WaitAsync(TestKernelClient.Timeout); // throws TimeoutException if it never stops
        Assert.Equal(1, kernel.Interpreter.ResetCount);
    }

    [Fact]
    public async Task Shutdown_with_restart_on_shell_echoes_restart_and_stops()
    {
        using var kernel = new KernelHarness();
        var id = kernel.Client.Send(kernel.Client.Shell, "shutdown_request", new JsonObject { ["restart"] = true });
        var reply = kernel.Client.ReceiveReply(kernel.Client.Shell, id);
        var iopub = kernel.Client.ReceiveIOPubUntilIdle(id);

        Assert.True(reply.Content.GetBool("restart", false));
        Assert.Equal("idle", iopub[^1].Content.GetString("execution_state"));
        await kernel.Server.Completion.WaitAsync(TestKernelClient.Timeout); // throws TimeoutException if it never stops
    }

    [Fact]
    public async Task RunAsync_returns_after_shutdown_request()
    {
        var file = Path.GetTempFileName();
        try
        {
            var freePorts = Enumerable.Range(0, 5).Select(_ => FreePort()).ToArray();
            var connection = new Connection.ConnectionInfo
            {
                Key = "secret", ShellPort = freePorts[0], IOPubPort = freePorts[1], StdinPort = freePorts[2],
                ControlPort = freePorts[3], HeartbeatPort = freePorts[4],
            };
            await File.WriteAllTextAsync(file, connection.ToJson());
            var run = KernelServer.RunAsync(Connection.ConnectionInfo.Load(file), new FakeInterpreter(),
                new KernelServerOptions { Log = new KernelLog(TextWriter.Null) }, CancellationToken.None);

            using var client = new TestKernelClient(connection);
            var id = client.Send(client.Control, "shutdown_request", new JsonObject { ["restart"] = false });
            Assert.Equal("shutdown_reply", client.ReceiveReply(client.Control, id).MsgType);
            Assert.Same(run, await Task.WhenAny(run, Task.Delay(TestKernelClient.Timeout)));
        }
        finally
        {
            File.Delete(file);
        }
    }

    [Fact]
    public async Task RunAsync_returns_when_cancelled()
    {
        using var cancel = new CancellationTokenSource();
        var run = KernelServer.RunAsync(new Connection.ConnectionInfo(), new FakeInterpreter(),
            new KernelServerOptions { Log = new KernelLog(TextWriter.Null), InterruptOnSigint = false }, cancel.Token);
        cancel.Cancel();
        Assert.Same(run, await Task.WhenAny(run, Task.Delay(TestKernelClient.Timeout)));
    }

    private static int FreePort()
    {
        var listener = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        listener.Start();
        var port = ((System.Net.IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
    }
}
