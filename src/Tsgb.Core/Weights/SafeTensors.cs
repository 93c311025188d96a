using System.Buffers;
using System.Collections;
using System.Diagnostics.CodeAnalysis;
using System.Runtime.InteropServices;
using System.Text.Json;
using TorchSharp;
using TsgbKit.Tensors;
using static TorchSharp.torch;
using TsgbKit.Errors;

namespace TsgbKit.Weights;

/// <summary>
/// Reader and writer of the safetensors format: an 8-byte little-endian header length, a JSON header
/// {name: {dtype, shape, data_offsets: [begin, end]}, "__metadata__": {string: string}}, then the data buffer.
/// Floating-point tensors (F32, F16, BF16, F64) are read as float32; I64 and I32 keep their integer type.
/// Every malformation is reported as one <see cref="WeightsException"/> naming the file and the key.
/// </summary>
public static class SafeTensors
{
    /// <summary>Reads every tensor of <paramref name="path"/> (in one pass over the file), on <paramref name="device"/> (CPU by default).</summary>
    public static SafeTensorsFile Read(string path, Device? device = null)
    {
        using var stream = OpenRead(path);
        var header = SafeTensorsHeader.Read(stream, path);
        var tensors = ReadTensors(stream, header, header.Tensors, device);
        return new SafeTensorsFile(header, tensors);
    }

    /// <summary>Reads and validates only the header: names, dtypes, shapes and metadata.</summary>
    public static SafeTensorsHeader ReadHeader(string path) => SafeTensorsHeader.Read(path);

    /// <summary>
    /// Writes <paramref name="tensors"/> to <paramref name="path"/>: floating-point tensors in <paramref name="dtype"/>
    /// (F32, F16 or BF16), int64/int32 tensors as I64/I32. The file is written to a temporary name and moved into place,
    /// so an existing file is replaced only by a complete one.
    /// </summary>
    public static void Write(string path, IEnumerable<KeyValuePair<string, Tensor>> tensors,
        SafeTensorsDType dtype = SafeTensorsDType.F32, IReadOnlyDictionary<string, string>? metadata = null)
    {
        ArgumentNullException.ThrowIfNull(path);
        ArgumentNullException.ThrowIfNull(tensors);
        if (dtype is not (SafeTensorsDType.F32 or SafeTensorsDType.F16 or SafeTensorsDType.BF16))
            throw new TsgbInputException($"Floating-point tensors are written as F32, F16 or BF16, not {dtype}.");
        FloatConversions.EnsureLittleEndian();

        var entries = new List<(string Name, Tensor Tensor, SafeTensorsDType Type, long[] Shape, long Begin, long End)>();
        long offset = 0;
        foreach (var (name, tensor) in tensors.OrderBy(p => p.Key, StringComparer.Ordinal))
        {
            if (name == "__metadata__")
                throw new TsgbInputException("'__metadata__' is reserved for the metadata and cannot name a tensor.");
            ArgumentNullException.ThrowIfNull(tensor, $"tensors[{name}]");
            SafeTensorsDType type;
            if (SafeTensorsDTypes.IsFloating(tensor.dtype)) type = dtype;
            else if (tensor.dtype == ScalarType.Int64) type = SafeTensorsDType.I64;
            else if (tensor.dtype == ScalarType.Int32) type = SafeTensorsDType.I32;
            else throw new TsgbInputException($"Tensor '{name}' has element type {tensor.dtype}, which Tsgb does not write to safetensors.");
            long bytes = tensor.numel() * type.Size();
            entries.Add((name, tensor, type, tensor.shape, offset, offset + bytes));
            offset += bytes;
        }

        var headerBytes = BuildHeader(entries.Select(e => (e.Name, e.Type, e.Shape, e.Begin, e.End)), metadata);
        var directory = Path.GetDirectoryName(Path.GetFullPath(path))!;
        Directory.CreateDirectory(directory);
        var temporary = Path.Combine(directory, $".{Path.GetFileName(path)}.{Guid.NewGuid():N}.tmp");
        try
        {
            using (var stream = new FileStream(temporary, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1 << 16))
            {
                Span<byte> prefix = stackalloc byte[8];
                BitConverter.TryWriteBytes(prefix, (ulong)headerBytes.Length);
                stream.Write(prefix);
                stream.Write(headerBytes);
                foreach (var e in entries) WriteData(stream, e.Tensor, e.Type);
            }
            File.Move(temporary, path, overwrite: true);
        }
        finally
        {
            if (File.Exists(temporary)) File.Delete(temporary);
        }
    }

    static byte[] BuildHeader(IEnumerable<(string Name, SafeTensorsDType Type, long[] Shape, long Begin, long End)> entries,
        IReadOnlyDictionary<string, string>? metadata)
    {
        var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            if (metadata is { Count: > 0 })
            {
                json.WriteStartObject("__metadata__");
                foreach (var (key, value) in metadata.OrderBy(p => p.Key, StringComparer.Ordinal)) json.WriteString(key, value);
                json.WriteEndObject();
            }
            foreach (var e in entries)
            {
                json.WriteStartObject(e.Name);
                json.WriteString("dtype", e.Type.HeaderName());
                json.WriteStartArray("shape");
                foreach (var d in e.Shape) json.WriteNumberValue(d);
                json.WriteEndArray();
                json.WriteStartArray("data_offsets");
                json.WriteNumberValue(e.Begin);
                json.WriteNumberValue(e.End);
                json.WriteEndArray();
                json.WriteEndObject();
            }
            json.WriteEndObject();
        }
        // Pad with spaces so that the data buffer starts 8-byte aligned, as the reference writer does.
        int padding = (int)((8 - buffer.Length % 8) % 8);
        for (int i = 0; i < padding; i++) buffer.WriteByte((byte)' ');
        return buffer.ToArray();
    }

    static void WriteData(Stream stream, Tensor tensor, SafeTensorsDType type)
    {
        switch (type)
        {
            case SafeTensorsDType.I64:
                stream.Write(MemoryMarshal.AsBytes(TensorData.ToLongs(tensor).AsSpan()));
                return;
            case SafeTensorsDType.I32:
                stream.Write(MemoryMarshal.AsBytes(TensorData.ToInts(tensor).AsSpan()));
                return;
        }
        var values = TensorData.ToFloats(tensor);
        if (type == SafeTensorsDType.F32)
        {
            stream.Write(MemoryMarshal.AsBytes(values.AsSpan()));
            return;
        }
        var bytes = new byte[values.Length * 2];
        if (type == SafeTensorsDType.F16) FloatConversions.SingleToHalf(values, bytes);
        else FloatConversions.SingleToBFloat16(values, bytes);
        stream.Write(bytes);
    }

    internal static FileStream OpenRead(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        try
        {
            return new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16);
        }
        catch (FileNotFoundException e) { throw new WeightsException(path, null, "file not found", e); }
        catch (DirectoryNotFoundException e) { throw new WeightsException(path, null, "file not found (its folder does not exist)", e); }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new WeightsException(path, null, $"cannot be opened: {e.Message}", e);
        }
    }

    /// <summary>Reads the given entries of a validated header from <paramref name="stream"/>, in file order.</summary>
    internal static Dictionary<string, Tensor> ReadTensors(FileStream stream, SafeTensorsHeader header,
        IEnumerable<SafeTensorInfo> entries, Device? device)
    {
        FloatConversions.EnsureLittleEndian();
        using var scope = NewDisposeScope();
        var result = new Dictionary<string, Tensor>(StringComparer.Ordinal);
        foreach (var info in entries.OrderBy(e => e.Begin))
        {
            Tensor tensor;
            try
            {
                stream.Position = header.DataStart + info.Begin;
                tensor = ReadOne(stream, info, header.FilePath);
            }
            catch (EndOfStreamException e)
            {
                throw new WeightsException(header.FilePath, info.Name, "file ended while reading the tensor data (truncated?)", e);
            }
            catch (IOException e)
            {
                throw new WeightsException(header.FilePath, info.Name, $"read failed: {e.Message}", e);
            }
            if (device is not null && device.type != DeviceType.CPU) tensor = tensor.to(device);
            result[info.Name] = tensor;
        }
        foreach (var tensor in result.Values) tensor.MoveToOuterDisposeScope();
        return result;
    }

    static Tensor ReadOne(FileStream stream, SafeTensorInfo info, string path)
    {
        long count = info.ElementCount;
        if (count > Array.MaxLength)
            throw new WeightsException(path, info.Name, $"{count} elements exceed what one array can hold");
        int n = (int)count;
        switch (info.DType)
        {
            case SafeTensorsDType.F32:
            {
                var values = new float[n];
                stream.ReadExactly(MemoryMarshal.AsBytes(values.AsSpan()));
                return tensor(values, info.Shape);
            }
            case SafeTensorsDType.I64:
            {
                var values = new long[n];
                stream.ReadExactly(MemoryMarshal.AsBytes(values.AsSpan()));
                return tensor(values, info.Shape);
            }
            case SafeTensorsDType.I32:
            {
                var values = new int[n];
                stream.ReadExactly(MemoryMarshal.AsBytes(values.AsSpan()));
                return tensor(values, info.Shape);
            }
            default:
            {
                var values = new float[n];
                int byteCount = checked(n * info.DType.Size());
                var bytes = ArrayPool<byte>.Shared.Rent(byteCount);
                try
                {
                    var span = bytes.AsSpan(0, byteCount);
                    stream.ReadExactly(span);
                    switch (info.DType)
                    {
                        case SafeTensorsDType.F16: FloatConversions.HalfToSingle(span, values); break;
                        case SafeTensorsDType.BF16: FloatConversions.BFloat16ToSingle(span, values); break;
                        case SafeTensorsDType.F64: FloatConversions.DoubleToSingle(span, values); break;
                        default: throw new WeightsException(path, info.Name, $"dtype {info.DType} cannot be read");
                    }
                }
                finally
                {
                    ArrayPool<byte>.Shared.Return(bytes);
                }
                return tensor(values, info.Shape);
            }
        }
    }
}

/// <summary>
/// The tensors of a safetensors file, by name, with the file's metadata. Disposing it disposes the tensors
/// (take ownership of one with <see cref="Detach"/>).
/// </summary>
public sealed class SafeTensorsFile : IReadOnlyDictionary<string, Tensor>, IDisposable
{
    readonly Dictionary<string, Tensor> _tensors;

    internal SafeTensorsFile(SafeTensorsHeader header, Dictionary<string, Tensor> tensors)
    {
        Header = header;
        _tensors = tensors;
    }

    public SafeTensorsHeader Header { get; }
    public string FilePath => Header.FilePath;
    public IReadOnlyDictionary<string, string> Metadata => Header.Metadata;

    public Tensor this[string key] =>
        _tensors.TryGetValue(key, out var t) ? t : throw new WeightsException(FilePath, key, "no such tensor in the file");

    public IEnumerable<string> Keys => _tensors.Keys;
    public IEnumerable<Tensor> Values => _tensors.Values;
    public int Count => _tensors.Count;
    public bool ContainsKey(string key) => _tensors.ContainsKey(key);
    public bool TryGetValue(string key, [MaybeNullWhen(false)] out Tensor value) => _tensors.TryGetValue(key, out value);
    public IEnumerator<KeyValuePair<string, Tensor>> GetEnumerator() => _tensors.GetEnumerator();
    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    /// <summary>Removes <paramref name="key"/> from this collection and hands the tensor to the caller, who then disposes it.</summary>
    public Tensor Detach(string key)
    {
        var t = this[key];
        _tensors.Remove(key);
        return t;
    }

    public void Dispose()
    {
        foreach (var t in _tensors.Values) t.Dispose();
        _tensors.Clear();
    }
}
