namespace TsgbKit.Jupyter.Sockets;

/// <summary>The four message sockets of a kernel (heartbeat carries no messages).</summary>
internal enum KernelChannel { Shell, Control, Stdin, IOPub }
