using System.IO.Compression;

namespace TsgbKit.Weights.PyTorch;

/// <summary>
/// The zip format torch.save writes since PyTorch 1.6: ARCHIVE/data.pkl (the pickle), ARCHIVE/data/KEY (one record
/// per storage, raw little-endian bytes), ARCHIVE/version and, since 2.1, ARCHIVE/byteorder.
/// </summary>
internal sealed class PyTorchZipFile : IStorageReader
{
    /// <summary>data.pkl of a state dict is a few hundred bytes per tensor; anything this large is not one.</summary>
    const long MaxPickleBytes = 256L << 20;

    readonly ZipArchive _zip;
    readonly string _prefix;
    readonly string _path;

    PyTorchZipFile(ZipArchive zip, string prefix, string path)
    {
        _zip = zip;
        _prefix = prefix;
        _path = path;
    }

    /// <summary>Opens the archive and reads its pickle; the storages are read later, on demand.</summary>
    public static PyTorchZipFile Open(FileStream stream, string path, out object? root, out StorageIds storages)
    {
        ZipArchive zip;
        try { zip = new ZipArchive(stream, ZipArchiveMode.Read, leaveOpen: false); }
        catch (InvalidDataException e)
        {
            stream.Dispose();
            throw new WeightsException(path, null, $"starts like a PyTorch checkpoint (a zip archive) but its zip directory cannot be read: the file is truncated or corrupt ({e.Message})", e);
        }
        try
        {
            var pickles = zip.Entries.Where(e => e.FullName.EndsWith("/data.pkl", StringComparison.Ordinal) && e.FullName.Count(c => c == '/') == 1).ToList();
            if (zip.Entries.Any(e => e.FullName.Contains("/code/", StringComparison.Ordinal) || e.FullName.EndsWith("/constants.pkl", StringComparison.Ordinal)))
                throw new WeightsException(path, null,
                    "is a TorchScript archive (torch.jit.save), which holds a program, not just weights; save the weights with torch.save(model.state_dict(), path)");
            if (pickles.Count != 1)
                throw new WeightsException(path, null, pickles.Count == 0
                    ? "is a zip archive without ARCHIVE/data.pkl, so it is not a PyTorch checkpoint (or it is corrupt)"
                    : $"is a zip archive with {pickles.Count} data.pkl records; a PyTorch checkpoint has one");
            var prefix = pickles[0].FullName[..^"data.pkl".Length];
            if (zip.GetEntry(prefix + "byteorder") is { } order && ReadText(order, path) is var text && text != "little")
                throw new WeightsException(path, null, $"was saved on a '{text}'-endian machine; Tsgb reads little-endian checkpoints");

            var file = new PyTorchZipFile(zip, prefix, path);
            var pickle = pickles[0];
            if (pickle.Length > MaxPickleBytes)
                throw new WeightsException(path, null, $"data.pkl has {pickle.Length} bytes, far more than a checkpoint's pickle; the file is corrupt or not a checkpoint");
            var bytes = file.ReadEntry(pickle, pickle.Length, "data.pkl");
            storages = new StorageIds(path, legacy: false);
            root = RestrictedUnpickler.Load(new MemoryStream(bytes, writable: false), path, "data.pkl", storages.Resolve);
            return file;
        }
        catch
        {
            zip.Dispose();
            throw;
        }
    }

    public void Read(PickledStorage storage, Span<byte> target)
    {
        var name = $"data/{storage.Key}";
        var entry = _zip.GetEntry(_prefix + name)
            ?? throw new WeightsException(_path, null, $"the archive lacks the record {name} of a tensor's data (truncated or corrupt file)");
        long expected = checked(storage.ElementCount * storage.ElementType.Size);
        if (entry.Length != expected || target.Length != expected)
            throw new WeightsException(_path, null,
                $"the record {name} has {entry.Length} bytes, but {storage.ElementCount} × {storage.ElementType.StorageClass} need {expected} (corrupt file)");
        ReadEntry(entry, name, target);
    }

    byte[] ReadEntry(ZipArchiveEntry entry, long length, string name)
    {
        if (length > Array.MaxLength)
            throw new WeightsException(_path, null, $"the record {name} has {length} bytes, more than Tsgb reads into one array");
        var bytes = new byte[length];
        ReadEntry(entry, name, bytes);
        return bytes;
    }

    void ReadEntry(ZipArchiveEntry entry, string name, Span<byte> target)
    {
        try
        {
            using var data = entry.Open();
            data.ReadExactly(target);
        }
        catch (Exception e) when (e is InvalidDataException or EndOfStreamException or IOException)
        {
            throw new WeightsException(_path, null, $"the record {name} cannot be read: {e.Message} (truncated or corrupt file)", e);
        }
    }

    static string ReadText(ZipArchiveEntry entry, string path)
    {
        if (entry.Length > 64) throw new WeightsException(path, null, "has an implausible byteorder record (corrupt file)");
        using var reader = new StreamReader(entry.Open());
        return reader.ReadToEnd().Trim();
    }

    public void Dispose() => _zip.Dispose();
}
