using Tsgb.Jupyter.Messages;
using Tsgb.Jupyter.Sockets;

namespace Tsgb.Jupyter.Handlers;

/// <summary>A request being handled: the message, the socket it came on, and its arrival order on shell.</summary>
internal sealed record RequestContext(JupyterMessage Request, KernelChannel Channel, long Arrival = 0);
