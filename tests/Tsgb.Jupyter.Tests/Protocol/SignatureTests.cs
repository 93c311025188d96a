using System.Text;
using System.Text.Json.Nodes;
using TsgbKit.Jupyter.Messages;
using TsgbKit.Jupyter.Tests.Support;

namespace TsgbKit.Jupyter.Tests.Protocol;

public sealed class SignatureTests
{
    private static readonly TimeSpan NoReplyWait = TimeSpan.FromSeconds(1);

    private static List<byte[]> KernelInfoFrames(TestKernelClient client, MessageSigner signer, out string msgId)
    {
        var header = client.NewHeader("kernel_info_request");
        msgId = header.GetString("msg_id")!;
        return WireFormat.Encode([], header, new JsonObject(), new JsonObject(), new JsonObject(), null, signer);
    }

    [Fact]
    public void Message_signed_with_the_wrong_key_is_dropped_and_the_kernel_keeps_answering()
    {
        using var kernel = new KernelHarness();
        var frames = KernelInfoFrames(kernel.Client, new MessageSigner("not-the-key"), out var badId);
        TestKernelClient.SendFrames(kernel.Client.Shell, frames);

        Assert.Null(kernel.Client.TryReceive(kernel.Client.Shell, NoReplyWait));
        Assert.Contains("invalid signature", kernel.Log);

        var goodId = kernel.Client.Send(kernel.Client.Shell, "kernel_info_request", new JsonObject());
        var reply = kernel.Client.ReceiveReply(kernel.Client.Shell, goodId);
        Assert.Equal("kernel_info_reply", reply.MsgType);
        Assert.NotEqual(badId, goodId);
    }

    [Fact]
    public void Message_with_a_tampered_content_is_dropped()
    {
        using var kernel = new KernelHarness();
        var frames = KernelInfoFrames(kernel.Client, new MessageSigner(kernel.Server.Connection.Key), out _);
        frames[^1] = Encoding.UTF8.GetBytes("{\"tampered\":true}"); // content changed after signing

        TestKernelClient.SendFrames(kernel.Client.Control, frames);

        Assert.Null(kernel.Client.TryReceive(kernel.Client.Control, NoReplyWait));
        Assert.Contains("invalid signature", kernel.Log);
    }

    [Fact]
    public void Message_without_a_signature_is_dropped_when_the_kernel_has_a_key()
    {
        using var kernel = new KernelHarness();
        var frames = KernelInfoFrames(kernel.Client, new MessageSigner(""), out _);
        Assert.Empty(frames[1]); // the empty-key signer leaves the signature frame empty

        TestKernelClient.SendFrames(kernel.Client.Shell, frames);

        Assert.Null(kernel.Client.TryReceive(kernel.Client.Shell, NoReplyWait));
        Assert.Contains("missing signature", kernel.Log);
    }

    [Fact]
    public void Correctly_signed_message_is_answered_with_a_signed_reply()
    {
        using var kernel = new KernelHarness();
        var frames = KernelInfoFrames(kernel.Client, new MessageSigner(kernel.Server.Connection.Key), out var msgId);
        TestKernelClient.SendFrames(kernel.Client.Shell, frames);

        var raw = TestKernelClient.TryReceiveFrames(kernel.Client.Shell, TestKernelClient.Timeout)!;
        Assert.NotNull(raw);
        var signer = new MessageSigner(kernel.Server.Connection.Key);
        Assert.True(signer.Verify(raw[1], raw[2], raw[3], raw[4], raw[5]));
        Assert.Equal(64, raw[1].Length); // hex of a SHA-256 HMAC
        var reply = WireFormat.Decode(raw, signer, out _)!;
        Assert.Equal(msgId, reply.ParentHeader.GetString("msg_id"));
    }

    [Fact]
    public void With_an_empty_key_nothing_is_signed_or_checked()
    {
        using var kernel = new KernelHarness(key: "");
        var id = kernel.Client.Send(kernel.Client.Shell, "kernel_info_request", new JsonObject());

        var raw = TestKernelClient.TryReceiveFrames(kernel.Client.Shell, TestKernelClient.Timeout);
        Assert.NotNull(raw);
        Assert.Empty(raw[1]);
        Assert.Equal(id, WireFormat.Decode(raw, new MessageSigner(""), out _)!.ParentHeader.GetString("msg_id"));
    }
}
