using System.Text.Json.Nodes;
using TsgbKit.Jupyter.Messages;

namespace TsgbKit.Jupyter.Handlers;

/// <summary>
/// Comms (widgets) are not supported: comm_info lists none, comm_open is answered with comm_close as the spec asks
/// for unknown targets, comm_msg and comm_close are ignored.
/// </summary>
internal sealed class CommHandler(MessageSender sender, KernelLog log) : IRequestHandler
{
    public IReadOnlyCollection<string> MessageTypes { get; } = ["comm_info_request", "comm_open", "comm_msg", "comm_close"];

    public void Handle(RequestContext context)
    {
        var request = context.Request;
        switch (request.MsgType)
        {
            case "comm_info_request":
                sender.Reply(context.Channel, request, "comm_info_reply", new JsonObject { ["status"] = "ok", ["comms"] = new JsonObject() });
                break;
            case "comm_open":
                log.Info($"comm_open for unknown target '{request.Content.GetString("target_name")}': closing it");
                sender.Publish("comm_close", new JsonObject
                {
                    ["comm_id"] = request.Content.GetString("comm_id") ?? "",
                    ["data"] = new JsonObject(),
                }, request.Header);
                break;
            default:
                log.Info($"{request.MsgType} ignored: no comms are open");
                break;
        }
    }
}
