using System.Text.Json.Nodes;
using TsgbKit.Jupyter.Messages;

namespace TsgbKit.Jupyter.Handlers;

/// <summary>kernel_info_request: what jupyter_client asks first, on shell or control.</summary>
internal sealed class KernelInfoHandler(IInterpreter interpreter, MessageSender sender) : IRequestHandler
{
    public IReadOnlyCollection<string> MessageTypes { get; } = ["kernel_info_request"];

    public void Handle(RequestContext context) =>
        sender.Reply(context.Channel, context.Request, "kernel_info_reply", Content(interpreter.Info));

    public static JsonObject Content(KernelInfo info)
    {
        var language = info.Language;
        var helpLinks = new JsonArray();
        foreach (var link in info.HelpLinks ?? [])
            helpLinks.Add(new JsonObject { ["text"] = link.Text, ["url"] = link.Url });
        return new JsonObject
        {
            ["status"] = "ok",
            ["protocol_version"] = MessageHeader.ProtocolVersion,
            ["implementation"] = info.Implementation,
            ["implementation_version"] = info.ImplementationVersion,
            ["language_info"] = new JsonObject
            {
                ["name"] = language.Name,
                ["version"] = language.Version,
                ["mimetype"] = language.MimeType,
                ["file_extension"] = language.FileExtension,
                ["pygments_lexer"] = language.PygmentsLexer,
                ["codemirror_mode"] = language.CodeMirrorMode,
            },
            ["banner"] = info.Banner,
            ["debugger"] = false,
            ["help_links"] = helpLinks,
        };
    }
}
