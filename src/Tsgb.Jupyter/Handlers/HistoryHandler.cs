using System.Text.Json.Nodes;
using TsgbKit.Jupyter.Execution;
using TsgbKit.Jupyter.Messages;

namespace TsgbKit.Jupyter.Handlers;

/// <summary>history_request: tail, range and search over this process's stored inputs (no outputs are kept).</summary>
internal sealed class HistoryHandler(ExecutionHistory history, MessageSender sender) : IRequestHandler
{
    public IReadOnlyCollection<string> MessageTypes { get; } = ["history_request"];

    public void Handle(RequestContext context)
    {
        var content = context.Request.Content;
        var entries = (content.GetString("hist_access_type") ?? "tail") switch
        {
            "range" => history.Range(content.GetInt("session") ?? 0, content.GetInt("start") ?? 0, content.GetInt("stop")),
            "search" => history.Search(content.GetString("pattern") ?? "*", content.GetInt("n"), content.GetBool("unique", false)),
            _ => history.Tail(content.GetInt("n")),
        };
        var withOutput = content.GetBool("output", false);

        var list = new JsonArray();
        foreach (var e in entries)
        {
            // With output=true the third item is (input, output); outputs are not recorded, so null.
            JsonNode input = withOutput ? new JsonArray(e.Input, null) : JsonValue.Create(e.Input);
            list.Add(new JsonArray(e.Session, e.Line, input));
        }
        sender.Reply(context.Channel, context.Request, "history_reply", new JsonObject { ["status"] = "ok", ["history"] = list });
    }
}
