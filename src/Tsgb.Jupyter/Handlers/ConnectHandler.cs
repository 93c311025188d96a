using System.Text.Json.Nodes;
using TsgbKit.Jupyter.Connection;
using TsgbKit.Jupyter.Messages;

namespace TsgbKit.Jupyter.Handlers;

/// <summary>connect_request (deprecated but cheap): the bound ports.</summary>
internal sealed class ConnectHandler(Func<ConnectionInfo> connection, MessageSender sender) : IRequestHandler
{
    public IReadOnlyCollection<string> MessageTypes { get; } = ["connect_request"];

    public void Handle(RequestContext context)
    {
        var c = connection();
        sender.Reply(context.Channel, context.Request, "connect_reply", new JsonObject
        {
            ["status"] = "ok",
            ["shell_port"] = c.ShellPort,
            ["iopub_port"] = c.IOPubPort,
            ["stdin_port"] = c.StdinPort,
            ["control_port"] = c.ControlPort,
            ["hb_port"] = c.HeartbeatPort,
        });
    }
}
