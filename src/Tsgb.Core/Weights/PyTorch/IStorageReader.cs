namespace TsgbKit.Weights.PyTorch;

/// <summary>Where the bytes of a checkpoint's storages are: the zip archive's data/KEY records, or the tail of a legacy file.</summary>
internal interface IStorageReader : IDisposable
{
    /// <summary>Reads the raw little-endian bytes of the whole root storage <paramref name="storage"/> into <paramref name="target"/> (exactly its size).</summary>
    void Read(PickledStorage storage, Span<byte> target);
}
