using System.Text.Json.Nodes;
using TsgbKit.Jupyter.Execution;
using TsgbKit.Jupyter.Messages;

namespace TsgbKit.Jupyter.Handlers;

/// <summary>
/// shutdown_request (shell or control): reply, then the server stops after the idle status. With restart=true the
/// kernel exits as well: jupyter_client's restart_kernel waits for the process to end and then launches a new one,
/// so staying alive would only make it wait and kill us. The server Reset()s the interpreter once the shell thread
/// has finished, so Reset never runs beside a cell.
/// </summary>
internal sealed class ShutdownHandler(MessageSender sender, KernelState state, KernelLog log) : IRequestHandler
{
    public IReadOnlyCollection<string> MessageTypes { get; } = ["shutdown_request"];

    public void Handle(RequestContext context)
    {
        var restart = context.Request.Content.GetBool("restart", false);
        state.RequestShutdown();
        state.Interrupt(); // a control shutdown must not wait for a running cell
        sender.Reply(context.Channel, context.Request, "shutdown_reply", new JsonObject { ["status"] = "ok", ["restart"] = restart });
        log.Info($"shutdown requested (restart={restart})");
    }
}
