using TsgbKit.Weights.PyTorch;
using TorchSharp;
using static TorchSharp.torch;

namespace TsgbKit.Weights;

/// <summary>
/// A weights file opened for reading, whatever its format (<see cref="WeightsFormat"/>, recognised by content):
/// the names and shapes of its state dict are known at once, the data is read only for the tensors asked for.
/// A PyTorch checkpoint's state dict may be the whole file, or nested under a common key ('state_dict', 'model',
/// 'model_state_dict', 'net'), and a 'module.' prefix (DataParallel) is removed; <see cref="Description"/> says which.
/// </summary>
public sealed class WeightsFile : IDisposable
{
    readonly FileStream? _safeStream;
    readonly SafeTensorsHeader? _header;
    readonly PyTorchCheckpoint? _checkpoint;
    readonly Dictionary<string, (long[] Shape, bool Integral)> _entries = new(StringComparer.Ordinal);

    WeightsFile(string path, FileStream stream, SafeTensorsHeader header)
    {
        FilePath = path;
        Format = WeightsFormat.SafeTensors;
        _safeStream = stream;
        _header = header;
        foreach (var t in header.Tensors) _entries[t.Name] = (t.Shape, !t.DType.IsFloatingPoint());
        Names = header.Tensors.Select(t => t.Name).ToList();
        Description = $"safetensors: {header.Tensors.Count} tensors";
    }

    WeightsFile(string path, WeightsFormat format, PyTorchCheckpoint checkpoint)
    {
        FilePath = path;
        Format = format;
        _checkpoint = checkpoint;
        foreach (var name in checkpoint.Names)
        {
            var t = checkpoint[name];
            _entries[name] = (t.Shape, !t.Storage.ElementType.IsFloatingPoint);
        }
        Names = checkpoint.Names;
        Description = checkpoint.Description;
    }

    /// <summary>
    /// Opens <paramref name="path"/>: safetensors, or a PyTorch checkpoint (.pth, .pt, .pth.tar — the extension does not
    /// matter). A checkpoint's pickle is read with an allow-list: tensors and plain containers only; a file that asks
    /// for anything else is refused, naming what it asked for, and nothing in it is run. Throws <see cref="WeightsException"/>.
    /// </summary>
    public static WeightsFile Open(string path)
    {
        var stream = SafeTensors.OpenRead(path);
        try
        {
            var format = WeightsFormats.Detect(stream, path);
            if (format == WeightsFormat.SafeTensors)
                return new WeightsFile(path, stream, SafeTensorsHeader.Read(stream, path));
            return new WeightsFile(path, format, PyTorchCheckpoint.Open(stream, path, format));
        }
        catch
        {
            stream.Dispose();
            throw;
        }
    }

    /// <summary>One line on what the file holds and what Tsgb uses of it, as <c>--verbose</c> prints it.</summary>
    public static string Describe(string path)
    {
        using var file = Open(path);
        return file.Description;
    }

    public string FilePath { get; }

    public WeightsFormat Format { get; }

    /// <summary>
    /// What was found and what is used, in one line: "safetensors: 62 tensors", "PyTorch checkpoint (zip format): a dict
    /// with keys epoch, state_dict, optimizer; used 'state_dict' (62 tensors); removed the prefix 'module.' …".
    /// </summary>
    public string Description { get; }

    /// <summary>The state dict's keys (after removing a 'module.' prefix), in file order.</summary>
    public IReadOnlyList<string> Names { get; }

    /// <summary>The shape of tensor <paramref name="name"/>, without reading its data.</summary>
    public bool TryGetShape(string name, out long[] shape)
    {
        var found = _entries.TryGetValue(name, out var entry);
        shape = found ? entry.Shape : [];
        return found;
    }

    /// <summary>Every tensor's shape, and whether it holds integers (for <see cref="StateDict"/>'s checks).</summary>
    internal IReadOnlyDictionary<string, (long[] Shape, bool Integral)> Entries => _entries;

    /// <summary>
    /// Reads the tensors <paramref name="names"/>: floating-point ones as float32, integer ones in their type, on
    /// <paramref name="device"/> (the CPU by default). The caller owns and disposes them.
    /// </summary>
    public Dictionary<string, Tensor> Read(IEnumerable<string> names, Device? device = null)
    {
        ArgumentNullException.ThrowIfNull(names);
        if (_checkpoint is not null) return _checkpoint.Read(names, device);
        var wanted = names.Select(n => _header![n]).ToList();
        return SafeTensors.ReadTensors(_safeStream!, _header!, wanted, device);
    }

    /// <summary>Reads every tensor (see <see cref="Read"/>).</summary>
    public Dictionary<string, Tensor> ReadAll(Device? device = null) => Read(Names, device);

    public void Dispose()
    {
        _safeStream?.Dispose();
        _checkpoint?.Dispose();
    }
}
