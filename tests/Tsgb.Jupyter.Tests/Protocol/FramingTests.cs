using System.Text;
using System.Text.Json.Nodes;
using TsgbKit.Jupyter.Messages;
using TsgbKit.Jupyter.Tests.Support;

namespace TsgbKit.Jupyter.Tests.Protocol;

public sealed class FramingTests
{
    [Fact]
    public void Several_identity_frames_come_back_in_order_before_the_delimiter()
    {
        using var kernel = new KernelHarness();
        byte[][] identities = [Encoding.ASCII.GetBytes("proxy-a"), Encoding.ASCII.GetBytes("proxy-b")];

        var id = kernel.Client.Send(kernel.Client.Shell, "kernel_info_request", new JsonObject(), identities);
        var raw = TestKernelClient.TryReceiveFrames(kernel.Client.Shell, TestKernelClient.Timeout);

        Assert.NotNull(raw);
        Assert.Equal("proxy-a", Encoding.ASCII.GetString(raw[0]));
        Assert.Equal("proxy-b", Encoding.ASCII.GetString(raw[1]));
        Assert.Equal("<IDS|MSG>", Encoding.ASCII.GetString(raw[2]));
        Assert.Equal(8, raw.Count); // 2 identities, delimiter, signature, 4 JSON parts
        Assert.Contains(id, Encoding.UTF8.GetString(raw[5])); // parent_header
    }

    [Fact]
    public void Reply_header_has_fresh_id_protocol_version_session_and_dated_timestamp()
    {
        using var kernel = new KernelHarness();
        var id = kernel.Client.Send(kernel.Client.Shell, "kernel_info_request", new JsonObject());
        var reply = kernel.Client.ReceiveReply(kernel.Client.Shell, id);

        Assert.Equal("5.3", reply.Header.GetString("version"));
        Assert.Equal(kernel.Server.Session, reply.Header.GetString("session"));
        Assert.NotEqual(id, reply.Header.GetString("msg_id"));
        Assert.True(Guid.TryParse(reply.Header.GetString("msg_id"), out _));
        var date = reply.Header.GetString("date")!;
        Assert.EndsWith("Z", date);
        Assert.Equal(TimeSpan.Zero, DateTimeOffset.Parse(date).Offset);
        Assert.Equal(kernel.Client.Session, reply.ParentHeader.GetString("session"));
    }

    [Fact]
    public void Frames_without_delimiter_are_dropped_without_harming_the_kernel()
    {
        using var kernel = new KernelHarness();
        TestKernelClient.SendFrames(kernel.Client.Shell, [Encoding.ASCII.GetBytes("garbage")]);
        Assert.Null(kernel.Client.TryReceive(kernel.Client.Shell, TimeSpan.FromMilliseconds(500)));

        var id = kernel.Client.Send(kernel.Client.Shell, "kernel_info_request", new JsonObject());
        Assert.Equal("kernel_info_reply", kernel.Client.ReceiveReply(kernel.Client.Shell, id).MsgType);
        Assert.Contains("delimiter", kernel.Log);
    }

    [Fact]
    public void Unknown_message_type_is_ignored_inside_busy_and_idle()
    {
        using var kernel = new KernelHarness();
        var id = kernel.Client.Send(kernel.Client.Shell, "no_such_request", new JsonObject());
        var iopub = kernel.Client.ReceiveIOPubUntilIdle(id);

        Assert.Equal(new[] { "status", "status" }, iopub.Select(m => m.MsgType));
        Assert.Null(kernel.Client.TryReceive(kernel.Client.Shell, TimeSpan.FromMilliseconds(300)));
        Assert.Contains("no_such_request", kernel.Log);
    }
}
