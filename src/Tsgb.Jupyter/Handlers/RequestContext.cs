using TsgbKit.Jupyter.Messages;
using TsgbKit.Jupyter.Sockets;

namespace TsgbKit.Jupyter.Handlers;

/// <summary>A request being handled: the message, the socket it came on, and its arrival order on shell.</summary>
internal sealed record RequestContext(JupyterMessage Request, KernelChannel Channel, long Arrival = 0);
