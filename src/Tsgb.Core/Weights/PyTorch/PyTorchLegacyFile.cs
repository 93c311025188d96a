using System.Buffers.Binary;
using System.Numerics;

namespace TsgbKit.Weights.PyTorch;

/// <summary>
/// The format torch.save wrote before PyTorch 1.6 (and still writes with _use_new_zipfile_serialization=False):
/// consecutive pickles of the magic number, the protocol version (1001), a system-information dict, the object, and
/// the list of storage keys; then, for each key in that order, an 8-byte element count and the storage's raw bytes.
/// </summary>
internal sealed class PyTorchLegacyFile : IStorageReader
{
    static readonly BigInteger MagicNumber = BigInteger.Parse("119547037146038801333356"); // 0x1950a86a20f9469cfc6c
    const long ProtocolVersion = 1001;

    readonly FileStream _stream;
    readonly string _path;
    readonly Dictionary<string, long> _dataOffsets;

    PyTorchLegacyFile(FileStream stream, string path, Dictionary<string, long> dataOffsets)
    {
        _stream = stream;
        _path = path;
        _dataOffsets = dataOffsets;
    }

    /// <summary>Reads the pickles and finds every storage's bytes; the bytes themselves are read later, on demand.</summary>
    public static PyTorchLegacyFile Open(FileStream stream, string path, out object? root, out StorageIds storages)
    {
        try
        {
            var magic = RestrictedUnpickler.Load(stream, path, "the first pickle");
            if (!(magic is BigInteger m && m == MagicNumber))
                throw new WeightsException(path, null,
                    "is a Python pickle without PyTorch's magic number, so it is not a PyTorch checkpoint (Tsgb reads what torch.save writes)");
            if (RestrictedUnpickler.Load(stream, path, "the protocol-version pickle") is not ProtocolVersion)
                throw new WeightsException(path, null, "has a PyTorch legacy protocol version other than 1001 (corrupt file)");
            if (RestrictedUnpickler.Load(stream, path, "the system-information pickle") is PickleDict info &&
                info.TryGet("little_endian", out var little) && little is false)
                throw new WeightsException(path, null, "was saved on a big-endian machine; Tsgb reads little-endian checkpoints");

            storages = new StorageIds(path, legacy: true);
            root = RestrictedUnpickler.Load(stream, path, "the checkpoint's pickle", storages.Resolve);
            if (RestrictedUnpickler.Load(stream, path, "the storage-key pickle") is not List<object?> keys || keys.Any(k => k is not string))
                throw new WeightsException(path, null, "has no list of storage keys after its pickle (corrupt file)");

            var offsets = new Dictionary<string, long>(StringComparer.Ordinal);
            long position = stream.Position;
            Span<byte> countBytes = stackalloc byte[8];
            foreach (string key in keys!)
            {
                if (!storages.Roots.TryGetValue(key, out var storage))
                    throw new WeightsException(path, null, $"lists storage '{key}', which no tensor uses (corrupt file)");
                stream.Position = position;
                if (position + 8 > stream.Length)
                    throw new WeightsException(path, null, $"ends before the data of storage '{key}' (truncated file)");
                stream.ReadExactly(countBytes);
                long count = BinaryPrimitives.ReadInt64LittleEndian(countBytes);
                if (count != storage.ElementCount)
                    throw new WeightsException(path, null, $"storage '{key}' holds {count} elements where the pickle says {storage.ElementCount} (corrupt file)");
                offsets[key] = position + 8;
                position += 8 + count * storage.ElementType.Size;
                if (position > stream.Length)
                    throw new WeightsException(path, null,
                        $"ends inside the data of storage '{key}': {position - stream.Length} bytes are missing (truncated file)");
            }
            var missing = storages.Roots.Keys.FirstOrDefault(k => !offsets.ContainsKey(k));
            if (missing is not null)
                throw new WeightsException(path, null, $"has no data for storage '{missing}' (corrupt file)");
            return new PyTorchLegacyFile(stream, path, offsets);
        }
        catch
        {
            stream.Dispose();
            throw;
        }
    }

    public void Read(PickledStorage storage, Span<byte> target)
    {
        _stream.Position = _dataOffsets[storage.Key];
        _stream.ReadExactly(target);
    }

    public void Dispose() => _stream.Dispose();
}
