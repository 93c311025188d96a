using System.Text.Json.Nodes;
using TsgbKit.Jupyter.Execution;
using TsgbKit.Jupyter.Messages;

namespace TsgbKit.Jupyter.Handlers;

/// <summary>
/// Routes a request to its handler inside busy … idle on IOPub (frontends wait for idle to know a request is done),
/// turns handler failures into error replies, skips executions aborted by stop_on_error, and ignores unknown types.
/// </summary>
internal sealed class RequestDispatcher
{
    private readonly Dictionary<string, IRequestHandler> _handlers = new(StringComparer.Ordinal);
    private readonly ExecuteHandler _execute;
    private readonly MessageSender _sender;
    private readonly KernelState _state;
    private readonly KernelLog _log;
    private readonly Action _onShutdown;

    public RequestDispatcher(IEnumerable<IRequestHandler> handlers, ExecuteHandler execute, MessageSender sender,
        KernelState state, KernelLog log, Action onShutdown)
    {
        foreach (var handler in handlers.Append(execute))
            foreach (var type in handler.MessageTypes)
                _handlers[type] = handler;
        _execute = execute;
        _sender = sender;
        _state = state;
        _log = log;
        _onShutdown = onShutdown;
    }

    public void Dispatch(RequestContext context)
    {
        var request = context.Request;
        _sender.PublishStatus("busy", request.Header);
        try
        {
            if (request.MsgType == "execute_request" && context.Channel == Sockets.KernelChannel.Shell && _state.IsAborted(context.Arrival))
            {
                _log.Info($"aborting execute_request {request.MsgId} queued behind an error");
                _execute.Abort(context);
            }
            else if (_handlers.TryGetValue(request.MsgType, out var handler))
            {
                handler.Handle(context);
            }
            else
            {
                _log.Warn($"{context.Channel}: unknown message type '{request.MsgType}' ignored");
            }
        }
        catch (Exception e)
        {
            _log.Error($"{request.MsgType} failed: {e}");
            if (request.MsgType.EndsWith("_request", StringComparison.Ordinal))
            {
                var traceback = new JsonArray();
                foreach (var line in e.ToString().Split('\n')) traceback.Add(line);
                _sender.Reply(context.Channel, request, request.MsgType[..^"_request".Length] + "_reply", new JsonObject
                {
                    ["status"] = "error",
                    ["ename"] = e.GetType().Name,
                    ["evalue"] = e.Message,
                    ["traceback"] = traceback,
                });
            }
        }
        finally
        {
            _sender.PublishStatus("idle", request.Header);
        }
        if (_state.ShutdownRequested) _onShutdown();
    }
}
