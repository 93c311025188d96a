namespace Tsgb.Jupyter.Sockets;

/// <summary>An encoded message waiting for the socket thread; <see cref="Frames"/> null marks the end of sending.</summary>
internal sealed record OutgoingFrames(KernelChannel Channel, IReadOnlyList<byte[]>? Frames)
{
    public static OutgoingFrames EndOfStream { get; } = new(KernelChannel.IOPub, null);
}
