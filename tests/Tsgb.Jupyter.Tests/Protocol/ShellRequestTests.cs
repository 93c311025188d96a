using System.Text.Json.Nodes;
using TsgbKit.Jupyter.Messages;
using TsgbKit.Jupyter.Tests.Support;

namespace TsgbKit.Jupyter.Tests.Protocol;

public sealed class ShellRequestTests
{
    private static JupyterMessage Request(KernelHarness kernel, string type, JsonObject content)
    {
        var id = kernel.Client.Send(kernel.Client.Shell, type, content);
        return kernel.Client.ReceiveReply(kernel.Client.Shell, id);
    }

    [Fact]
    public void Complete_converts_code_point_cursor_to_utf16_and_back_with_an_emoji_before_it()
    {
        using var kernel = new KernelHarness();
        const string code = "x = \"😀\"; Con";            // the emoji is 1 code point, 2 UTF-16 units
        var codePoints = code.EnumerateRunes().Count();      // == code.Length - 1

        var reply = Request(kernel, "complete_request", new JsonObject { ["code"] = code, ["cursor_pos"] = codePoints });

        Assert.Equal(code.Length, Assert.Single(kernel.Interpreter.CompleteCursors)); // UTF-16 at the interpreter
        Assert.Equal("ok", reply.Content.GetString("status"));
        Assert.Equal(codePoints - 3, reply.Content.GetInt("cursor_start")); // "Con" replaced, in code points
        Assert.Equal(codePoints, reply.Content.GetInt("cursor_end"));
        Assert.Equal(new[] { "ConOne", "ConTwo" }, ((JsonArray)reply.Content["matches"]!).Select(n => n!.GetValue<string>()));
        var item = (JsonObject)((JsonArray)((JsonObject)reply.Content["metadata"]!)["_jupyter_types_experimental"]!)[0]!;
        Assert.Equal(codePoints - 3, item.GetInt("start"));
        Assert.Equal(codePoints, item.GetInt("end"));
        Assert.Equal("method", item.GetString("type"));
        Assert.Equal("void One()", item.GetString("signature"));
    }

    [Fact]
    public void Interpreter_exception_in_a_request_becomes_an_error_reply_and_the_kernel_goes_on()
    {
        using var kernel = new KernelHarness();
        var reply = Request(kernel, "complete_request", new JsonObject { ["code"] = "boom", ["cursor_pos"] = 4 });

        Assert.Equal("complete_reply", reply.MsgType);
        Assert.Equal("error", reply.Content.GetString("status"));
        Assert.Equal("InvalidOperationException", reply.Content.GetString("ename"));
        Assert.Equal("ok", Request(kernel, "complete_request", new JsonObject { ["code"] = "Co", ["cursor_pos"] = 2 }).Content.GetString("status"));
    }

    [Fact]
    public void Inspect_converts_the_cursor_and_reports_found_data()
    {
        using var kernel = new KernelHarness();
        var reply = Request(kernel, "inspect_request", new JsonObject { ["code"] = "🎉ab", ["cursor_pos"] = 2, ["detail_level"] = 0 });

        Assert.Equal(3, Assert.Single(kernel.Interpreter.InspectCursors));
        Assert.True(reply.Content.GetBool("found", false));
        Assert.Equal("doc at 3", ((JsonObject)reply.Content["data"]!).GetString("text/plain"));

        var empty = Request(kernel, "inspect_request", new JsonObject { ["code"] = "", ["cursor_pos"] = 0 });
        Assert.False(empty.Content.GetBool("found", true));
        Assert.Equal("ok", empty.Content.GetString("status"));
    }

    [Theory]
    [InlineData("a = 1", "complete", null)]
    [InlineData("if (x) {", "incomplete", "    ")]
    [InlineData("}}", "invalid", null)]
    public void Is_complete_maps_status_and_indent(string code, string status, string? indent)
    {
        using var kernel = new KernelHarness();
        var reply = Request(kernel, "is_complete_request", new JsonObject { ["code"] = code });
        Assert.Equal(status, reply.Content.GetString("status"));
        Assert.Equal(indent, reply.Content.GetString("indent"));
    }

    [Fact]
    public void History_tail_range_and_search_return_stored_inputs()
    {
        using var kernel = new KernelHarness();
        foreach (var (code, store) in new[] { ("alpha", true), ("beta", true), ("hidden", false), ("alpha", true) })
            kernel.Client.ReceiveReply(kernel.Client.Shell, kernel.Client.Execute(code, storeHistory: store));

        static string[] Inputs(JupyterMessage m) =>
            ((JsonArray)m.Content["history"]!).Select(e => ((JsonArray)e!)[2]!.GetValue<string>()).ToArray();

        var tail = Request(kernel, "history_request", new JsonObject { ["hist_access_type"] = "tail", ["n"] = 2, ["output"] = false, ["raw"] = true });
        Assert.Equal(new[] { "beta", "alpha" }, Inputs(tail));
        var first = (JsonArray)((JsonArray)tail.Content["history"]!)[0]!;
        Assert.Equal(2, first[1]!.GetValue<int>()); // line = execution count

        var range = Request(kernel, "history_request", new JsonObject
        {
            ["hist_access_type"] = "range", ["session"] = 0, ["start"] = 1, ["stop"] = 3, ["output"] = false, ["raw"] = true,
        });
        Assert.Equal(new[] { "alpha", "beta" }, Inputs(range));

        var search = Request(kernel, "history_request", new JsonObject
        {
            ["hist_access_type"] = "search", ["pattern"] = "al*", ["unique"] = true, ["output"] = false, ["raw"] = true,
        });
        Assert.Equal(new[] { "alpha" }, Inputs(search));
    }

    [Fact]
    public void Comm_info_is_empty_and_comm_open_is_closed_without_a_crash()
    {
        using var kernel = new KernelHarness();
        var info = Request(kernel, "comm_info_request", new JsonObject());
        Assert.Empty((JsonObject)info.Content["comms"]!);

        var openId = kernel.Client.Send(kernel.Client.Shell, "comm_open",
            new JsonObject { ["comm_id"] = "c1", ["target_name"] = "jupyter.widget", ["data"] = new JsonObject() });
        var close = Assert.Single(kernel.Client.ReceiveIOPubUntilIdle(openId), m => m.MsgType == "comm_close");
        Assert.Equal("c1", close.Content.GetString("comm_id"));

        kernel.Client.Send(kernel.Client.Shell, "comm_msg", new JsonObject { ["comm_id"] = "c1", ["data"] = new JsonObject() });
        Assert.Equal("kernel_info_reply", Request(kernel, "kernel_info_request", new JsonObject()).MsgType);
    }

    [Fact]
    public void Input_request_goes_to_the_frontend_and_its_reply_reaches_the_cell()
    {
        using var kernel = new KernelHarness();
        var id = kernel.Client.Execute("input", allowStdin: true);

        var request = kernel.Client.Receive(kernel.Client.Stdin);
        Assert.Equal("input_request", request.MsgType);
        Assert.Equal("Name? ", request.Content.GetString("prompt"));
        Assert.Equal(id, request.ParentHeader.GetString("msg_id"));
        kernel.Client.Send(kernel.Client.Stdin, "input_reply", new JsonObject { ["value"] = "Ada" });

        var result = Assert.Single(kernel.Client.ReceiveIOPubUntilIdle(id), m => m.MsgType == "execute_result");
        Assert.Equal("got Ada", ((JsonObject)result.Content["data"]!).GetString("text/plain"));
    }

    [Fact]
    public void Interrupt_releases_a_cell_waiting_for_input()
    {
        using var kernel = new KernelHarness();
        var id = kernel.Client.Execute("input", allowStdin: true);
        Assert.Equal("input_request", kernel.Client.Receive(kernel.Client.Stdin).MsgType);

        kernel.Server.Interrupt();

        Assert.Equal("error", kernel.Client.ReceiveReply(kernel.Client.Shell, id).Content.GetString("status"));
        var next = kernel.Client.Execute("after");
        Assert.Equal("ok", kernel.Client.ReceiveReply(kernel.Client.Shell, next).Content.GetString("status"));
    }

    [Fact]
    public void Input_without_allow_stdin_fails_the_cell_with_a_clear_message()
    {
        using var kernel = new KernelHarness();
        var id = kernel.Client.Execute("input", allowStdin: false);
        var reply = kernel.Client.ReceiveReply(kernel.Client.Shell, id);

        Assert.Equal("error", reply.Content.GetString("status"));
        Assert.Equal("InvalidOperationException", reply.Content.GetString("ename"));
        Assert.Contains("allow_stdin", reply.Content.GetString("evalue"));
    }
}
