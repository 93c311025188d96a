using System.Text.Json;

namespace TsgbKit.Weights;

/// <summary>One tensor's entry in a safetensors header. Offsets are relative to the start of the data buffer.</summary>
public sealed record SafeTensorInfo(string Name, SafeTensorsDType DType, long[] Shape, long Begin, long End)
{
    /// <summary>The number of elements (1 for a scalar).</summary>
    public long ElementCount => Shape.Aggregate(1L, (a, b) => a * b);

    /// <summary>The number of bytes in the file.</summary>
    public long ByteLength => End - Begin;

    /// <summary>The shape as "[64, 3, 7, 7]".</summary>
    public string ShapeText => StateDict.FormatShape(Shape);
}

/// <summary>The validated header of a safetensors file: its tensors (in data order) and its metadata.</summary>
public sealed class SafeTensorsHeader
{
    /// <summary>Headers larger than this are refused (the reference implementation's limit).</summary>
    public const long MaxHeaderLength = 100_000_000;

    readonly Dictionary<string, SafeTensorInfo> _byName;

    SafeTensorsHeader(string path, List<SafeTensorInfo> tensors, Dictionary<string, string> metadata, long dataStart)
    {
        FilePath = path;
        Tensors = tensors;
        Metadata = metadata;
        DataStart = dataStart;
        _byName = tensors.ToDictionary(t => t.Name, StringComparer.Ordinal);
    }

    public string FilePath { get; }

    /// <summary>The tensors, ordered by their position in the data buffer.</summary>
    public IReadOnlyList<SafeTensorInfo> Tensors { get; }

    /// <summary>The optional "__metadata__" string map (empty when absent).</summary>
    public IReadOnlyDictionary<string, string> Metadata { get; }

    /// <summary>The absolute file offset of the data buffer (8 + header length).</summary>
    public long DataStart { get; }

    public IEnumerable<string> Names => Tensors.Select(t => t.Name);

    public bool TryGet(string name, out SafeTensorInfo info) => _byName.TryGetValue(name, out info!);

    public SafeTensorInfo this[string name] =>
        _byName.TryGetValue(name, out var info) ? info : throw new WeightsException(FilePath, name, "no such tensor in the file");

    /// <summary>Reads and validates the header of <paramref name="path"/>, without reading tensor data.</summary>
    public static SafeTensorsHeader Read(string path)
    {
        using var stream = SafeTensors.OpenRead(path);
        return Read(stream, path);
    }

    internal static SafeTensorsHeader Read(FileStream stream, string path)
    {
        long fileLength = stream.Length;
        if (fileLength < 8)
            throw new WeightsException(path, null, $"file is truncated: {fileLength} bytes, too short for the 8-byte header length");
        Span<byte> prefix = stackalloc byte[8];
        stream.ReadExactly(prefix);
        ulong headerLength = BitConverter.ToUInt64(prefix);
        if (headerLength > MaxHeaderLength)
            throw new WeightsException(path, null,
                $"header length {headerLength} is implausible (limit {MaxHeaderLength}); this is not a safetensors file or it is corrupt");
        if (8 + (long)headerLength > fileLength)
            throw new WeightsException(path, null,
                $"file is truncated: the header claims {headerLength} bytes but only {fileLength - 8} follow the length field");
        var json = new byte[headerLength];
        stream.ReadExactly(json);
        long dataStart = 8 + (long)headerLength;
        return Parse(json, path, fileLength - dataStart, dataStart);
    }

    internal static SafeTensorsHeader Parse(ReadOnlySpan<byte> json, string path, long bufferLength, long dataStart)
    {
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(json.ToArray(), new JsonDocumentOptions { MaxDepth = 16 });
        }
        catch (JsonException e)
        {
            throw new WeightsException(path, null, $"header is not valid JSON: {e.Message}", e);
        }

        using (document)
        {
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
                throw new WeightsException(path, null, $"header must be a JSON object, found {root.ValueKind}");

            var tensors = new List<SafeTensorInfo>();
            var metadata = new Dictionary<string, string>(StringComparer.Ordinal);
            var seen = new HashSet<string>(StringComparer.Ordinal);
            foreach (var property in root.EnumerateObject())
            {
                var name = property.Name;
                if (!seen.Add(name))
                    throw new WeightsException(path, name, "the key appears twice in the header");
                if (name == "__metadata__")
                {
                    ParseMetadata(property.Value, path, metadata);
                    continue;
                }
                tensors.Add(ParseEntry(name, property.Value, path, bufferLength));
            }

            tensors.Sort((a, b) => a.Begin != b.Begin ? a.Begin.CompareTo(b.Begin) : a.End.CompareTo(b.End));
            long expected = 0;
            SafeTensorInfo? previous = null;
            foreach (var t in tensors)
            {
                if (t.Begin < expected)
                    throw new WeightsException(path, t.Name,
                        $"data_offsets [{t.Begin}, {t.End}] overlap those of tensor '{previous!.Name}' [{previous.Begin}, {previous.End}]");
                if (t.Begin > expected)
                    throw new WeightsException(path, t.Name,
                        previous is null
                            ? $"data_offsets [{t.Begin}, {t.End}] leave {t.Begin} unused bytes at the start of the data buffer"
                            : $"data_offsets [{t.Begin}, {t.End}] leave a gap of {t.Begin - expected} bytes after tensor '{previous.Name}'");
                expected = t.End;
                previous = t;
            }
            if (expected != bufferLength)
                throw new WeightsException(path, previous?.Name,
                    $"the data buffer has {bufferLength} bytes but the tensors account for {expected} (trailing bytes after the last tensor)");
            return new SafeTensorsHeader(path, tensors, metadata, dataStart);
        }
    }

    static void ParseMetadata(JsonElement value, string path, Dictionary<string, string> metadata)
    {
        if (value.ValueKind == JsonValueKind.Null) return;
        if (value.ValueKind != JsonValueKind.Object)
            throw new WeightsException(path, "__metadata__", $"must be an object of strings, found {value.ValueKind}");
        foreach (var entry in value.EnumerateObject())
        {
            if (entry.Value.ValueKind != JsonValueKind.String)
                throw new WeightsException(path, "__metadata__", $"value of '{entry.Name}' must be a string, found {entry.Value.ValueKind}");
            metadata[entry.Name] = entry.Value.GetString()!;
        }
    }

    static SafeTensorInfo ParseEntry(string name, JsonElement value, string path, long bufferLength)
    {
        if (value.ValueKind != JsonValueKind.Object)
            throw new WeightsException(path, name, $"entry must be an object with dtype, shape and data_offsets, found {value.ValueKind}");

        if (!value.TryGetProperty("dtype", out var dtypeElement) || dtypeElement.ValueKind != JsonValueKind.String)
            throw new WeightsException(path, name, "entry lacks a string 'dtype'");
        var dtypeName = dtypeElement.GetString();
        if (!SafeTensorsDTypes.TryParse(dtypeName, out var dtype))
            throw new WeightsException(path, name, $"unknown or unsupported dtype '{dtypeName}' (supported: F32, F16, BF16, F64, I64, I32)");

        if (!value.TryGetProperty("shape", out var shapeElement) || shapeElement.ValueKind != JsonValueKind.Array)
            throw new WeightsException(path, name, "entry lacks a 'shape' array");
        var shape = new long[shapeElement.GetArrayLength()];
        int i = 0;
        long elements = 1;
        foreach (var d in shapeElement.EnumerateArray())
        {
            if (d.ValueKind != JsonValueKind.Number || !d.TryGetInt64(out var dim) || dim < 0)
                throw new WeightsException(path, name, $"shape {shapeElement.GetRawText()} must hold non-negative integers");
            shape[i++] = dim;
            try { elements = checked(elements * dim); }
            catch (OverflowException) { throw new WeightsException(path, name, $"shape {shapeElement.GetRawText()} is too large"); }
        }

        if (!value.TryGetProperty("data_offsets", out var offsets) || offsets.ValueKind != JsonValueKind.Array || offsets.GetArrayLength() != 2)
            throw new WeightsException(path, name, "entry lacks 'data_offsets' [begin, end]");
        var begin = offsets[0];
        var end = offsets[1];
        if (begin.ValueKind != JsonValueKind.Number || !begin.TryGetInt64(out var b) || b < 0 ||
            end.ValueKind != JsonValueKind.Number || !end.TryGetInt64(out var e) || e < 0)
            throw new WeightsException(path, name, $"data_offsets {offsets.GetRawText()} must be two non-negative integers");
        if (e < b)
            throw new WeightsException(path, name, $"data_offsets [{b}, {e}] end before they begin");

        long need;
        try { need = checked(elements * dtype.Size()); }
        catch (OverflowException) { throw new WeightsException(path, name, $"shape {shapeElement.GetRawText()} is too large"); }
        if (e - b != need)
            throw new WeightsException(path, name,
                $"data_offsets [{b}, {e}] span {e - b} bytes but dtype {dtypeName} with shape {StateDict.FormatShape(shape)} needs {need}");
        if (e > bufferLength)
            throw new WeightsException(path, name,
                $"data_offsets [{b}, {e}] reach beyond the data buffer of {bufferLength} bytes (file truncated?)");

        return new SafeTensorInfo(name, dtype, shape, b, e);
    }
}
