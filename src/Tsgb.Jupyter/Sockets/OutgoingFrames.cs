namespace TsgbKit.Jupyter.Sockets;

/// <summary>
/// Work for the socket thread: frames to send, or (with <see cref="Frames"/> null) a marker that runs
/// <see cref="OnSocketThread"/> there, or ends sending when that is null too.
/// </summary>
internal sealed record OutgoingFrames(KernelChannel Channel, IReadOnlyList<byte[]>? Frames, Action? OnSocketThread = null)
{
    public static OutgoingFrames EndOfStream { get; } = new(KernelChannel.IOPub, null);
}
