using System.Text.Json.Nodes;
using TsgbKit.Jupyter.Messages;
using TsgbKit.Jupyter.Tests.Support;

namespace TsgbKit.Jupyter.Tests.Protocol;

public sealed class ExecutionTests
{
    private static JupyterMessage Run(KernelHarness kernel, string code, bool silent = false, bool storeHistory = true)
    {
        var id = kernel.Client.Execute(code, silent, storeHistory);
        return kernel.Client.ReceiveReply(kernel.Client.Shell, id);
    }

    private static int Count(JupyterMessage m) => m.Content.GetInt("execution_count")!.Value;

    [Fact]
    public void Execution_count_grows_only_for_stored_non_silent_executions()
    {
        using var kernel = new KernelHarness();

        Assert.Equal(1, Count(Run(kernel, "a")));
        Assert.Equal(2, Count(Run(kernel, "b")));
        Assert.Equal(2, Count(Run(kernel, "c", storeHistory: false)));
        Assert.Equal(2, Count(Run(kernel, "d", silent: true, storeHistory: true))); // silent forces store_history off
        Assert.Equal(3, Count(Run(kernel, "e")));

        var counts = kernel.Interpreter.Requests.Select(r => (r.Code, r.ExecutionCount, r.StoreHistory)).ToArray();
        Assert.Contains(("d", 2, false), counts);
        Assert.Contains(("e", 3, true), counts);
    }

    [Fact]
    public void Silent_execution_broadcasts_no_execute_input_or_result()
    {
        using var kernel = new KernelHarness();
        var id = kernel.Client.Execute("quiet", silent: true);
        var iopub = kernel.Client.ReceiveIOPubUntilIdle(id);

        Assert.DoesNotContain(iopub, m => m.MsgType is "execute_input" or "execute_result");
        Assert.Contains(iopub, m => m.MsgType == "stream"); // outputs themselves still go out
        Assert.Equal("ok", kernel.Client.ReceiveReply(kernel.Client.Shell, id).Content.GetString("status"));
    }

    [Fact]
    public void Kernel_info_is_wrapped_in_busy_and_idle_with_the_request_as_parent()
    {
        using var kernel = new KernelHarness();
        var id = kernel.Client.Send(kernel.Client.Shell, "kernel_info_request", new JsonObject());

        var reply = kernel.Client.ReceiveReply(kernel.Client.Shell, id);
        var iopub = kernel.Client.ReceiveIOPubUntilIdle(id);

        Assert.Equal(new[] { "busy", "idle" }, iopub.Select(m => m.Content.GetString("execution_state")));
        Assert.All(iopub, m => Assert.Equal("kernel_info_request", m.ParentHeader.GetString("msg_type")));
        var content = reply.Content;
        Assert.Equal("ok", content.GetString("status"));
        Assert.Equal("5.3", content.GetString("protocol_version"));
        Assert.Equal("fake", content.GetString("implementation"));
        Assert.Equal("1.2.3", content.GetString("implementation_version"));
        Assert.Equal("Fake banner", content.GetString("banner"));
        Assert.Equal(".fake", ((JsonObject)content["language_info"]!).GetString("file_extension"));
        Assert.Equal("Docs", ((JsonObject)((JsonArray)content["help_links"]!)[0]!).GetString("text"));
    }

    [Fact]
    public void Kernel_info_on_control_gets_busy_and_idle_too()
    {
        using var kernel = new KernelHarness();
        var id = kernel.Client.Send(kernel.Client.Control, "kernel_info_request", new JsonObject());
        Assert.Equal("kernel_info_reply", kernel.Client.ReceiveReply(kernel.Client.Control, id).MsgType);
        Assert.Equal(new[] { "busy", "idle" },
            kernel.Client.ReceiveIOPubUntilIdle(id).Select(m => m.Content.GetString("execution_state")));
    }

    [Fact]
    public void Execute_publishes_busy_input_output_result_idle_in_order()
    {
        using var kernel = new KernelHarness();
        var id = kernel.Client.Execute("42");
        var iopub = kernel.Client.ReceiveIOPubUntilIdle(id);
        var reply = kernel.Client.ReceiveReply(kernel.Client.Shell, id);

        Assert.Equal(new[] { "status", "execute_input", "stream", "execute_result", "status" }, iopub.Select(m => m.MsgType));
        Assert.Equal("busy", iopub[0].Content.GetString("execution_state"));
        Assert.Equal("42", iopub[1].Content.GetString("code"));
        Assert.Equal(1, iopub[1].Content.GetInt("execution_count"));
        Assert.Equal("42", ((JsonObject)iopub[3].Content["data"]!).GetString("text/plain"));
        Assert.Equal(1, iopub[3].Content.GetInt("execution_count"));
        Assert.All(iopub, m => Assert.Equal(id, m.ParentHeader.GetString("msg_id")));
        Assert.Equal("ok", reply.Content.GetString("status"));
        Assert.Empty((JsonObject)reply.Content["user_expressions"]!);
    }

    [Fact]
    public void User_expressions_are_evaluated_after_the_code_and_answered_per_name_without_outputs_or_a_count()
    {
        using var kernel = new KernelHarness();
        var id = kernel.Client.Execute("42", userExpressions: new JsonObject { ["a"] = "one plus one", ["bad"] = "fail", ["boom"] = "throw", ["num"] = 3 });
        var iopub = kernel.Client.ReceiveIOPubUntilIdle(id);
        var reply = kernel.Client.ReceiveReply(kernel.Client.Shell, id);

        // Same messages as a cell without expressions: evaluating them publishes nothing.
        Assert.Equal(new[] { "status", "execute_input", "stream", "execute_result", "status" }, iopub.Select(m => m.MsgType));
        Assert.Equal("ok", reply.Content.GetString("status"));
        Assert.Equal(1, Count(reply));
        var results = (JsonObject)reply.Content["user_expressions"]!;
        Assert.Equal(new[] { "a", "bad", "boom", "num" }, results.Select(p => p.Key).Order(StringComparer.Ordinal));

        var a = (JsonObject)results["a"]!;
        Assert.Equal("ok", a.GetString("status"));
        Assert.Equal("ONE PLUS ONE", ((JsonObject)a["data"]!).GetString("text/plain"));
        Assert.IsType<JsonObject>(a["metadata"]);

        var bad = (JsonObject)results["bad"]!;
        Assert.Equal("error", bad.GetString("status"));
        Assert.Equal("FakeError", bad.GetString("ename"));
        Assert.Equal("expression failed", bad.GetString("evalue"));
        Assert.Equal("expr line 1", ((JsonArray)bad["traceback"]!)[0]!.GetValue<string>());

        var boom = (JsonObject)results["boom"]!;
        Assert.Equal("error", boom.GetString("status"));
        Assert.Equal("InvalidOperationException", boom.GetString("ename"));

        Assert.Equal("TypeError", ((JsonObject)results["num"]!).GetString("ename")); // not code: an error, not a crash
        Assert.Equal(new[] { "fail", "one plus one", "throw" }, kernel.Interpreter.Expressions.Order(StringComparer.Ordinal)); // each evaluated once
        Assert.Equal(2, Count(Run(kernel, "next"))); // the evaluations counted no execution
    }

    [Fact]
    public void User_expressions_are_not_evaluated_after_a_failed_cell()
    {
        using var kernel = new KernelHarness();
        var id = kernel.Client.Execute("fail", userExpressions: new JsonObject { ["a"] = "x" });
        kernel.Client.ReceiveIOPubUntilIdle(id);
        var reply = kernel.Client.ReceiveReply(kernel.Client.Shell, id);

        Assert.Equal("error", reply.Content.GetString("status"));
        Assert.Empty((JsonObject)reply.Content["user_expressions"]!);
        Assert.Empty(kernel.Interpreter.Expressions);
    }

    [Fact]
    public void Payloads_of_the_outcome_go_into_the_execute_reply()
    {
        using var kernel = new KernelHarness();
        var id = kernel.Client.Execute("page");
        var iopub = kernel.Client.ReceiveIOPubUntilIdle(id);
        var reply = kernel.Client.ReceiveReply(kernel.Client.Shell, id);

        Assert.Equal("ok", reply.Content.GetString("status"));
        Assert.Equal(1, Count(reply));
        var payload = (JsonObject)Assert.Single((JsonArray)reply.Content["payload"]!)!;
        Assert.Equal("page", payload.GetString("source"));
        Assert.Equal(0, payload.GetInt("start"));
        Assert.Equal(FakeInterpreter.PageText, ((JsonObject)payload["data"]!).GetString("text/plain"));
        Assert.DoesNotContain(iopub, m => m.MsgType == "execute_result");
    }

    [Fact]
    public void A_cell_without_payloads_replies_with_an_empty_payload_list()
    {
        using var kernel = new KernelHarness();
        Assert.Empty((JsonArray)Run(kernel, "plain").Content["payload"]!);
    }

    [Fact]
    public void Failing_cell_publishes_exactly_one_error_and_replies_with_status_error()
    {
        using var kernel = new KernelHarness();
        var id = kernel.Client.Execute("fail");
        var iopub = kernel.Client.ReceiveIOPubUntilIdle(id);
        var reply = kernel.Client.ReceiveReply(kernel.Client.Shell, id);

        var error = Assert.Single(iopub, m => m.MsgType == "error");
        Assert.Equal("FakeError", error.Content.GetString("ename"));
        Assert.Equal("it failed", error.Content.GetString("evalue"));
        Assert.Equal(2, ((JsonArray)error.Content["traceback"]!).Count);
        Assert.DoesNotContain(iopub, m => m.MsgType == "execute_result");
        Assert.Equal("error", reply.Content.GetString("status"));
        Assert.Equal("FakeError", reply.Content.GetString("ename"));
        Assert.Equal("it failed", reply.Content.GetString("evalue"));
        Assert.Equal(2, ((JsonArray)reply.Content["traceback"]!).Count);
    }

    [Fact]
    public void Exception_escaping_the_interpreter_becomes_one_error()
    {
        using var kernel = new KernelHarness();
        var id = kernel.Client.Execute("throw");
        var iopub = kernel.Client.ReceiveIOPubUntilIdle(id);
        var reply = kernel.Client.ReceiveReply(kernel.Client.Shell, id);

        Assert.Equal("InvalidOperationException", Assert.Single(iopub, m => m.MsgType == "error").Content.GetString("ename"));
        Assert.Equal("error", reply.Content.GetString("status"));
    }

    [Fact]
    public void A_hundred_failing_cells_then_a_good_one_works()
    {
        using var kernel = new KernelHarness();
        for (var i = 0; i < 100; i++)
            Assert.Equal("error", Run(kernel, "fail").Content.GetString("status"));

        var reply = Run(kernel, "fine");
        Assert.Equal("ok", reply.Content.GetString("status"));
        Assert.Equal(101, Count(reply));
    }

    [Fact]
    public void Stop_on_error_aborts_executions_queued_behind_the_failure()
    {
        using var kernel = new KernelHarness();
        var failing = kernel.Client.Execute("block-fail");
        var queued = kernel.Client.Execute("queued");
        Thread.Sleep(500); // let the socket thread take "queued" in while the first cell blocks; not asserted on
        kernel.Interpreter.Gate.Release();

        Assert.Equal("error", kernel.Client.ReceiveReply(kernel.Client.Shell, failing).Content.GetString("status"));
        Assert.Equal("aborted", kernel.Client.ReceiveReply(kernel.Client.Shell, queued).Content.GetString("status"));
        Assert.DoesNotContain(kernel.Interpreter.Requests, r => r.Code == "queued");

        // Requests sent after the failure run normally.
        Assert.Equal("ok", Run(kernel, "after").Content.GetString("status"));
    }

    [Fact]
    public void Without_stop_on_error_queued_executions_still_run()
    {
        using var kernel = new KernelHarness();
        var failing = kernel.Client.Execute("block-fail", stopOnError: false);
        var queued = kernel.Client.Execute("queued");
        Thread.Sleep(500);
        kernel.Interpreter.Gate.Release();

        Assert.Equal("error", kernel.Client.ReceiveReply(kernel.Client.Shell, failing).Content.GetString("status"));
        Assert.Equal("ok", kernel.Client.ReceiveReply(kernel.Client.Shell, queued).Content.GetString("status"));
    }

    [Fact]
    public void Streams_written_from_other_threads_all_arrive_before_idle()
    {
        using var kernel = new KernelHarness();
        var id = kernel.Client.Execute("threads");
        var streams = kernel.Client.ReceiveIOPubUntilIdle(id).Where(m => m.MsgType == "stream").ToList();

        Assert.Equal(FakeInterpreter.StreamThreads * FakeInterpreter.WritesPerThread, streams.Count);
        Assert.Equal(FakeInterpreter.WritesPerThread * 2, streams.Count(m => m.Content.GetString("name") == "stderr"));
        // Each thread's writes keep their order.
        var t0 = streams.Select(m => m.Content.GetString("text")!).Where(t => t.StartsWith("t0-")).ToList();
        Assert.Equal(Enumerable.Range(0, FakeInterpreter.WritesPerThread).Select(i => $"t0-{i}\n"), t0);
    }

    [Fact]
    public void Display_and_update_display_carry_the_display_id_in_transient()
    {
        using var kernel = new KernelHarness();
        var id = kernel.Client.Execute("display");
        var iopub = kernel.Client.ReceiveIOPubUntilIdle(id);

        var display = Assert.Single(iopub, m => m.MsgType == "display_data");
        var update = Assert.Single(iopub, m => m.MsgType == "update_display_data");
        Assert.Equal("d1", ((JsonObject)display.Content["transient"]!).GetString("display_id"));
        Assert.Equal("<b>y</b>", ((JsonObject)update.Content["data"]!).GetString("text/html"));
    }
}
