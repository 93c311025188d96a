using System.Text.Json.Nodes;
using TsgbKit.Jupyter.Messages;
using TsgbKit.Jupyter.Text;

namespace TsgbKit.Jupyter.Handlers;

/// <summary>inspect_request (Shift+Tab help); found=false with empty data when nothing is at the cursor.</summary>
internal sealed class InspectHandler(IInterpreter interpreter, MessageSender sender) : IRequestHandler
{
    public IReadOnlyCollection<string> MessageTypes { get; } = ["inspect_request"];

    public void Handle(RequestContext context)
    {
        var content = context.Request.Content;
        var code = content.GetString("code") ?? "";
        var cursor = content.GetInt("cursor_pos") is { } points ? CodePoints.ToUtf16Index(code, points) : code.Length;
        var detail = content.GetInt("detail_level") ?? 0;
        var result = interpreter.Inspect(code, cursor, detail);
        var found = result is not null && result.Data.Count > 0;

        sender.Reply(context.Channel, context.Request, "inspect_reply", new JsonObject
        {
            ["status"] = "ok",
            ["found"] = found,
            ["data"] = found ? MimeBundleJson.Data(result!.Data) : new JsonObject(),
            ["metadata"] = found ? MimeBundleJson.Metadata(result!.Data) : new JsonObject(),
        });
    }
}
