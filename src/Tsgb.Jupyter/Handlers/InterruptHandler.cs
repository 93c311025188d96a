using System.Text.Json.Nodes;
using TsgbKit.Jupyter.Execution;
using TsgbKit.Jupyter.Messages;

namespace TsgbKit.Jupyter.Handlers;

/// <summary>
/// interrupt_request (interrupt_mode "message", control channel): cancels the running cell's token; the interpreter
/// then ends it and the execute_reply reports the interruption.
/// </summary>
internal sealed class InterruptHandler(MessageSender sender, KernelState state, KernelLog log) : IRequestHandler
{
    public IReadOnlyCollection<string> MessageTypes { get; } = ["interrupt_request"];

    public void Handle(RequestContext context)
    {
        var interrupted = state.Interrupt();
        log.Info(interrupted ? "interrupt: cancelling the running cell" : "interrupt: no cell is running");
        sender.Reply(context.Channel, context.Request, "interrupt_reply", new JsonObject { ["status"] = "ok" });
    }
}
