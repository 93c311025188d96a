using System.Text.Json.Nodes;
using TsgbKit.Jupyter.Messages;

namespace TsgbKit.Jupyter.Execution;

/// <summary>
/// IExecutionOutput of one execute_request: publishes on IOPub with that request as parent. Thread-safe, because
/// MessageSender only queues frames; callable from any thread the cell started, even after it finished.
/// </summary>
internal sealed class ExecutionOutput : IExecutionOutput
{
    private readonly MessageSender _sender;
    private readonly StdinBridge _stdin;
    private readonly JupyterMessage _request;
    private readonly bool _allowStdin;
    private readonly CancellationToken _cancel;
    private volatile bool _finished;

    public ExecutionOutput(MessageSender sender, StdinBridge stdin, JupyterMessage request, bool allowStdin, CancellationToken cancel)
    {
        _sender = sender;
        _stdin = stdin;
        _request = request;
        _allowStdin = allowStdin;
        _cancel = cancel;
    }

    /// <summary>After the reply, input can no longer be requested: the frontend has moved on.</summary>
    public void Finish() => _finished = true;

    public void Stream(string name, string text)
    {
        if (string.IsNullOrEmpty(text)) return;
        _sender.Publish("stream", new JsonObject { ["name"] = name, ["text"] = text }, _request.Header);
    }

    public void Display(MimeBundle data, string? displayId = null) =>
        _sender.Publish("display_data", DisplayContent(data, displayId), _request.Header);

    public void UpdateDisplay(MimeBundle data, string displayId) =>
        _sender.Publish("update_display_data", DisplayContent(data, displayId), _request.Header);

    public void ClearOutput(bool wait) =>
        _sender.Publish("clear_output", new JsonObject { ["wait"] = wait }, _request.Header);

    public string ReadInput(string prompt, bool password)
    {
        if (!_allowStdin)
            throw new InvalidOperationException("This frontend does not support input requests (allow_stdin is false).");
        if (_finished)
            throw new InvalidOperationException("Input can only be requested while the cell that asks is running.");
        return _stdin.ReadInput(_request, prompt, password, _cancel);
    }

    private static JsonObject DisplayContent(MimeBundle data, string? displayId)
    {
        var transient = new JsonObject();
        if (displayId is not null) transient["display_id"] = displayId;
        return new JsonObject
        {
            ["data"] = MimeBundleJson.Data(data),
            ["metadata"] = MimeBundleJson.Metadata(data),
            ["transient"] = transient,
        };
    }
}
