using TorchSharp;
using static TorchSharp.torch;

namespace TsgbKit.Weights.PyTorch;

/// <summary>
/// A PyTorch checkpoint opened for reading: its pickle read with <see cref="RestrictedUnpickler"/>, its state dict
/// located, every tensor's shape known and checked against its storage; the data is read only for the tensors asked for.
/// </summary>
internal sealed class PyTorchCheckpoint : IDisposable
{
    readonly IStorageReader _storages;
    readonly Dictionary<string, PickledTensor> _tensors;

    PyTorchCheckpoint(string path, IStorageReader storages, LocatedStateDict located, string container)
    {
        FilePath = path;
        _storages = storages;
        Names = located.Tensors.Select(p => p.Key).ToList();
        _tensors = new Dictionary<string, PickledTensor>(StringComparer.Ordinal);
        foreach (var (name, tensor) in located.Tensors)
        {
            if (!_tensors.TryAdd(name, tensor))
                throw new WeightsException(path, name, "appears twice once the 'module.' prefix is removed");
            if (!StorageTensors.FitsInStorage(tensor))
                throw new WeightsException(path, name,
                    $"shape {StateDict.FormatShape(tensor.Shape)} with stride {StateDict.FormatShape(tensor.Stride)} at offset {tensor.StorageOffset} " +
                    $"reaches beyond its storage of {tensor.Storage.VisibleCount} elements (corrupt file)");
        }
        Description = $"PyTorch checkpoint ({container}): {located.Found}" + (located.Used.Length > 0 ? "; " + located.Used : "");
    }

    public string FilePath { get; }

    /// <summary>One line: the container, what the file holds, what is used ("…; used 'state_dict' (62 tensors)").</summary>
    public string Description { get; }

    /// <summary>The state dict's keys, in file order.</summary>
    public IReadOnlyList<string> Names { get; }

    public PickledTensor this[string name] => _tensors[name];

    public bool TryGet(string name, out PickledTensor tensor) => _tensors.TryGetValue(name, out tensor!);

    /// <summary>Opens a file <see cref="WeightsFormats"/> recognised as a PyTorch checkpoint; takes ownership of <paramref name="stream"/>.</summary>
    public static PyTorchCheckpoint Open(FileStream stream, string path, WeightsFormat format)
    {
        object? root;
        StorageIds ids;
        IStorageReader reader = format == WeightsFormat.PyTorchLegacy
            ? PyTorchLegacyFile.Open(stream, path, out root, out ids)
            : PyTorchZipFile.Open(stream, path, out root, out ids);
        try
        {
            var located = StateDictLocator.Locate(root, path);
            return new PyTorchCheckpoint(path, reader, located,
                format == WeightsFormat.PyTorchLegacy ? "legacy format, before PyTorch 1.6" : "zip format");
        }
        catch
        {
            reader.Dispose();
            throw;
        }
    }

    /// <summary>Reads the tensors <paramref name="names"/> (contiguous, on the CPU unless <paramref name="device"/> says otherwise); the caller owns them.</summary>
    public Dictionary<string, Tensor> Read(IEnumerable<string> names, Device? device = null)
    {
        using var scope = NewDisposeScope();
        var storages = new Dictionary<string, Tensor>(StringComparer.Ordinal);
        var result = new Dictionary<string, Tensor>(StringComparer.Ordinal);
        foreach (var name in names)
        {
            var descriptor = _tensors.TryGetValue(name, out var d) ? d : throw new WeightsException(FilePath, name, "no such tensor in the file");
            var key = descriptor.Storage.Key;
            if (!storages.TryGetValue(key, out var storage))
                storages[key] = storage = StorageTensors.Read(_storages, descriptor.Storage, FilePath);
            var tensor = StorageTensors.Window(storage, descriptor);
            if (device is not null && device.type != DeviceType.CPU) tensor = tensor.to(device);
            result[name] = tensor;
        }
        foreach (var tensor in result.Values) tensor.MoveToOuterDisposeScope();
        return result;
    }

    public void Dispose() => _storages.Dispose();
}
