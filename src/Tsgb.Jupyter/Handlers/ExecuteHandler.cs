using System.Text.Json.Nodes;
using TsgbKit.Jupyter.Execution;
using TsgbKit.Jupyter.Messages;
using TsgbKit.Jupyter.Sockets;

namespace TsgbKit.Jupyter.Handlers;

/// <summary>
/// execute_request: execute_input, the interpreter's outputs, execute_result or one error, then execute_reply
/// (with the outcome's payloads, e.g. a page of help, and the values of the request's user_expressions).
/// Runs on the shell thread, so cells execute one after another while control and heartbeat stay free.
/// </summary>
internal sealed class ExecuteHandler(
    IInterpreter interpreter, MessageSender sender, KernelState state, ExecutionHistory history, StdinBridge stdin, KernelLog log,
    Action pullPendingShellMessages)
    : IRequestHandler
{
    public IReadOnlyCollection<string> MessageTypes { get; } = ["execute_request"];

    public void Handle(RequestContext context)
    {
        var request = context.Request;
        if (context.Channel != KernelChannel.Shell)
        {
            log.Warn("execute_request on control is not supported; ignored");
            return;
        }

        var content = request.Content;
        var code = content.GetString("code") ?? "";
        var silent = content.GetBool("silent", false);
        var storeHistory = !silent && content.GetBool("store_history", true); // silent forces store_history off
        var allowStdin = content.GetBool("allow_stdin", true);
        var stopOnError = content.GetBool("stop_on_error", true);

        var count = storeHistory ? state.IncrementExecutionCount() : state.ExecutionCount;
        if (storeHistory) history.Add(count, code);
        // Cancellable from here on: an interrupt sent once execute_input is seen must reach this cell.
        var cts = state.BeginExecution();
        if (!silent)
            sender.Publish("execute_input", new JsonObject { ["code"] = code, ["execution_count"] = count }, request.Header);

        var outcome = Run(new ExecutionRequest(code, silent, storeHistory, allowStdin, count), request, allowStdin, cts);

        switch (outcome.Status)
        {
            case ExecutionStatus.Ok:
                if (outcome.Result is { } result && !silent)
                {
                    sender.Publish("execute_result", new JsonObject
                    {
                        ["execution_count"] = count,
                        ["data"] = MimeBundleJson.Data(result),
                        ["metadata"] = MimeBundleJson.Metadata(result),
                    }, request.Header);
                }
                sender.Reply(KernelChannel.Shell, request, "execute_reply", new JsonObject
                {
                    ["status"] = "ok",
                    ["execution_count"] = count,
                    ["user_expressions"] = EvaluateUserExpressions(content["user_expressions"] as JsonObject),
                    ["payload"] = PayloadJson.Array(outcome.Payloads),
                }, ReplyMetadata("ok"));
                break;

            case ExecutionStatus.Error:
                var error = outcome.Error ?? new ExecutionError("Error", "The cell failed without details.", []);
                sender.Publish("error", ErrorFields(error), request.Header);
                var reply = ErrorFields(error);
                reply["status"] = "error";
                reply["execution_count"] = count;
                reply["user_expressions"] = new JsonObject(); // as ipykernel: after a failure none are evaluated
                reply["payload"] = PayloadJson.Array(outcome.Payloads);
                if (stopOnError) AbortQueuedExecutions(); // before the reply: the frontend may send more after it
                sender.Reply(KernelChannel.Shell, request, "execute_reply", reply, ReplyMetadata("error"));
                break;

            default:
                if (stopOnError) AbortQueuedExecutions();
                sender.Reply(KernelChannel.Shell, request, "execute_reply",
                    new JsonObject { ["status"] = "aborted", ["execution_count"] = count }, ReplyMetadata("aborted"));
                break;
        }
    }

    /// <summary>
    /// user_expressions: name → display_data-like bundle ({status, data, metadata}) or error ({status, ename, evalue,
    /// traceback}). Evaluated only after the code succeeded (as ipykernel does), each on its own so that one failing
    /// expression does not hide the others; interruptible like a cell, but without execution count or outputs.
    /// </summary>
    private JsonObject EvaluateUserExpressions(JsonObject? expressions)
    {
        var results = new JsonObject();
        if (expressions is null || expressions.Count == 0) return results;
        foreach (var (name, node) in expressions)
        {
            if (node is not JsonValue value || !value.TryGetValue<string>(out var expression))
            {
                results[name] = ExpressionErrorFields(new ExecutionError("TypeError",
                    $"user_expressions['{name}'] must be a string of code.", [$"TypeError: user_expressions['{name}'] must be a string of code."]));
                continue;
            }
            var cts = state.BeginExecution();
            ExpressionResult result;
            try
            {
                result = interpreter.EvaluateExpressionAsync(expression, cts.Token).GetAwaiter().GetResult();
            }
            catch (OperationCanceledException) when (cts.IsCancellationRequested)
            {
                result = ExpressionResult.Failed(new ExecutionError(
                    "OperationCanceledException", "The evaluation was interrupted.", ["The evaluation was interrupted."]));
            }
            catch (Exception e)
            {
                result = ExpressionResult.Failed(new ExecutionError(e.GetType().Name, e.Message, e.ToString().Split('\n')));
            }
            finally
            {
                state.EndExecution(cts);
            }
            results[name] = result.Data is { } data
                ? new JsonObject { ["status"] = "ok", ["data"] = MimeBundleJson.Data(data), ["metadata"] = MimeBundleJson.Metadata(data) }
                : ExpressionErrorFields(result.Error ?? new ExecutionError("Error", "The expression failed without details.", []));
        }
        return results;
    }

    private static JsonObject ExpressionErrorFields(ExecutionError error)
    {
        var fields = ErrorFields(error);
        fields["status"] = "error";
        return fields;
    }

    private void AbortQueuedExecutions()
    {
        pullPendingShellMessages(); // requests still in the socket arrived before the failure too
        state.AbortExecutionsArrivedSoFar();
    }

    /// <summary>Reply to an execute_request that stop_on_error skipped.</summary>
    public void Abort(RequestContext context) =>
        sender.Reply(context.Channel, context.Request, "execute_reply",
            new JsonObject { ["status"] = "aborted", ["execution_count"] = state.ExecutionCount }, ReplyMetadata("aborted"));

    private ExecutionOutcome Run(ExecutionRequest request, JupyterMessage message, bool allowStdin, CancellationTokenSource cts)
    {
        var output = new ExecutionOutput(sender, stdin, message, allowStdin, cts.Token);
        try
        {
            return interpreter.ExecuteAsync(request, output, cts.Token).GetAwaiter().GetResult();
        }
        catch (OperationCanceledException) when (cts.IsCancellationRequested)
        {
            return ExecutionOutcome.Failed(new ExecutionError(
                "OperationCanceledException", "The execution was interrupted.", ["The execution was interrupted."]));
        }
        catch (Exception e)
        {
            // The interpreter should report errors as outcomes; anything that escapes still becomes one error.
            return ExecutionOutcome.Failed(new ExecutionError(e.GetType().Name, e.Message, e.ToString().Split('\n')));
        }
        finally
        {
            output.Finish();
            state.EndExecution(cts);
        }
    }

    private static JsonObject ErrorFields(ExecutionError error)
    {
        var traceback = new JsonArray();
        foreach (var line in error.Traceback) traceback.Add(line);
        return new JsonObject { ["ename"] = error.Name, ["evalue"] = error.Value, ["traceback"] = traceback };
    }

    // ipykernel's reply metadata; JupyterLab reads "status" to mark a cell as failed.
    private static JsonObject ReplyMetadata(string status) => new()
    {
        ["status"] = status,
        ["dependencies_met"] = true,
    };
}
