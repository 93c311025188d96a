using System.Text.Json.Nodes;
using TsgbKit.Jupyter.Messages;

namespace TsgbKit.Jupyter.Handlers;

/// <summary>is_complete_request: lets console frontends decide between running the code and a new line.</summary>
internal sealed class IsCompleteHandler(IInterpreter interpreter, MessageSender sender) : IRequestHandler
{
    public IReadOnlyCollection<string> MessageTypes { get; } = ["is_complete_request"];

    public void Handle(RequestContext context)
    {
        var result = interpreter.IsComplete(context.Request.Content.GetString("code") ?? "");
        var content = new JsonObject
        {
            ["status"] = result.Status switch
            {
                Completeness.Complete => "complete",
                Completeness.Incomplete => "incomplete",
                Completeness.Invalid => "invalid",
                _ => "unknown",
            },
        };
        if (result.Status == Completeness.Incomplete) content["indent"] = result.Indent; // only meaningful there
        sender.Reply(context.Channel, context.Request, "is_complete_reply", content);
    }
}
