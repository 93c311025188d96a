using System.Text.Json.Nodes;
using TsgbKit.Jupyter.Messages;
using TsgbKit.Jupyter.Text;

namespace TsgbKit.Jupyter.Handlers;

/// <summary>complete_request; converts cursor_pos and the replaced range between code points and UTF-16.</summary>
internal sealed class CompleteHandler(IInterpreter interpreter, MessageSender sender) : IRequestHandler
{
    public IReadOnlyCollection<string> MessageTypes { get; } = ["complete_request"];

    public void Handle(RequestContext context)
    {
        var code = context.Request.Content.GetString("code") ?? "";
        var cursor = context.Request.Content.GetInt("cursor_pos") is { } points
            ? CodePoints.ToUtf16Index(code, points)
            : code.Length; // absent cursor means the end of the code
        var result = interpreter.Complete(code, cursor);

        var matches = new JsonArray();
        foreach (var match in result.Matches) matches.Add(match);
        var metadata = new JsonObject();
        if (result.Items is { } items)
        {
            var types = new JsonArray();
            foreach (var item in items)
            {
                var entry = new JsonObject
                {
                    ["start"] = CodePoints.ToCodePointIndex(code, item.Start),
                    ["end"] = CodePoints.ToCodePointIndex(code, item.End),
                    ["text"] = item.Text,
                    ["type"] = item.Type,
                };
                if (item.Signature is not null) entry["signature"] = item.Signature;
                types.Add(entry);
            }
            metadata["_jupyter_types_experimental"] = types;
        }

        sender.Reply(context.Channel, context.Request, "complete_reply", new JsonObject
        {
            ["status"] = "ok",
            ["matches"] = matches,
            ["cursor_start"] = CodePoints.ToCodePointIndex(code, result.Start),
            ["cursor_end"] = CodePoints.ToCodePointIndex(code, result.End),
            ["metadata"] = metadata,
        });
    }
}
