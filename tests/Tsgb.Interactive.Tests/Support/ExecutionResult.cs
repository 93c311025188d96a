using System.Text.Json.Nodes;

namespace TsgbKit.Interactive.Tests.Support;

/// <summary>What one execute_request produced: its reply and the IOPub messages up to idle.</summary>
internal sealed record ExecutionResult(WireMessage Reply, IReadOnlyList<WireMessage> IOPub)
{
    public string Status => (string)Reply.Content["status"]!;

    public IEnumerable<WireMessage> Of(string msgType) => IOPub.Where(m => m.MsgType == msgType);

    /// <summary>All stdout/stderr text, in order.</summary>
    public string StreamText => string.Concat(Of("stream").Select(m => (string)m.Content["text"]!));

    /// <summary>text/plain of the execute_result, or null.</summary>
    public string? ResultText => (string?)Of("execute_result").SingleOrDefault()?.Content["data"]?["text/plain"];

    /// <summary>The data bundles of display_data and execute_result messages.</summary>
    public IEnumerable<JsonObject> Bundles =>
        IOPub.Where(m => m.MsgType is "display_data" or "execute_result").Select(m => (JsonObject)m.Content["data"]!);

    /// <summary>Text of the outputs and the error, for assertion messages.</summary>
    public override string ToString() => string.Join(" | ", IOPub.Where(m => m.MsgType != "status").Select(m => m.MsgType + ": " +
        (m.Content["text"] ?? m.Content["evalue"] ?? m.Content["data"]?["text/plain"])?.ToString()));
}
