using System.Buffers.Binary;
using System.Globalization;
using System.Runtime.InteropServices;
using System.Text;
using TorchSharp;
using static TorchSharp.torch;
using TsgbKit.Errors;

namespace TsgbKit.Tensors;

/// <summary>A float32 array in C (row-major) order with its shape, as stored in a .npy file.</summary>
public sealed record NpyArray(float[] Data, long[] Shape)
{
    public long ElementCount => Shape.Aggregate(1L, (a, b) => a * b);
}

/// <summary>The one error raised for an unreadable or unsupported .npy file; the message names the file.</summary>
public sealed class NpyException : Exception, IUserError
{
    public NpyException(string path, string detail, Exception? inner = null) : base($"NumPy file '{path}': {detail}", inner)
    {
        FilePath = path;
        Detail = detail;
    }

    public string FilePath { get; }
    public string Detail { get; }
}

/// <summary>
/// NumPy .npy files of float32 in C order. Writes format version 1.0 (2.0 when the header needs it); reads 1.0, 2.0 and 3.0.
/// Reads '&lt;f4' (and '&gt;f4'), and converts '&lt;f8'/'&gt;f8' to float32; any other dtype, or fortran_order True, is refused.
/// </summary>
public static class Npy
{
    static readonly byte[] Magic = [0x93, (byte)'N', (byte)'U', (byte)'M', (byte)'P', (byte)'Y'];
    const int MaxHeaderLength = 1 << 20;

    /// <summary>Reads <paramref name="path"/> as a float32 tensor on <paramref name="device"/> (CPU by default).</summary>
    public static Tensor Read(string path, Device? device = null)
    {
        var array = ReadArray(path);
        var t = tensor(array.Data, array.Shape);
        if (device is null || device.type == DeviceType.CPU) return t;
        using (t) return t.to(device);
    }

    /// <summary>Reads <paramref name="path"/> into a managed float array and its shape.</summary>
    public static NpyArray ReadArray(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        FileStream stream;
        try
        {
            stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read);
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            throw new NpyException(path, "file not found", e);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new NpyException(path, $"cannot be opened: {e.Message}", e);
        }
        using (stream)
        {
            try
            {
                return Read(stream, path);
            }
            catch (EndOfStreamException e)
            {
                throw new NpyException(path, "file is truncated", e);
            }
        }
    }

    static NpyArray Read(Stream stream, string path)
    {
        Span<byte> prefix = stackalloc byte[8];
        if (stream.ReadAtLeast(prefix, 8, throwOnEndOfStream: false) < 8 || !prefix[..6].SequenceEqual(Magic))
            throw new NpyException(path, "not a .npy file (the magic string \\x93NUMPY is missing)");
        int major = prefix[6], minor = prefix[7];
        int headerLength;
        Encoding encoding;
        switch (major)
        {
            case 1:
                Span<byte> two = stackalloc byte[2];
                stream.ReadExactly(two);
                headerLength = BinaryPrimitives.ReadUInt16LittleEndian(two);
                encoding = Encoding.Latin1;
                break;
            case 2 or 3:
                Span<byte> four = stackalloc byte[4];
                stream.ReadExactly(four);
                uint length = BinaryPrimitives.ReadUInt32LittleEndian(four);
                if (length > MaxHeaderLength) throw new NpyException(path, $"header length {length} is implausible");
                headerLength = (int)length;
                encoding = major == 3 ? Encoding.UTF8 : Encoding.Latin1;
                break;
            default:
                throw new NpyException(path, $"format version {major}.{minor} is not supported (1.0, 2.0 and 3.0 are)");
        }
        var headerBytes = new byte[headerLength];
        stream.ReadExactly(headerBytes);
        var header = encoding.GetString(headerBytes);
        var (descr, fortran, shape) = ParseHeader(header, path);

        if (fortran)
            throw new NpyException(path, "fortran_order is True; only C-order arrays are supported (save with np.ascontiguousarray)");
        int itemSize;
        bool bigEndian;
        switch (descr)
        {
            case "<f4": itemSize = 4; bigEndian = false; break;
            case ">f4": itemSize = 4; bigEndian = true; break;
            case "<f8": itemSize = 8; bigEndian = false; break;
            case ">f8": itemSize = 8; bigEndian = true; break;
            default:
                throw new NpyException(path, $"dtype '{descr}' is not supported; only float32 ('<f4') is, and float64 ('<f8') is converted");
        }

        long count = 1;
        foreach (var d in shape)
        {
            try { count = checked(count * d); }
            catch (OverflowException) { throw new NpyException(path, $"shape ({string.Join(", ", shape)}) is too large"); }
        }
        if (count > Array.MaxLength) throw new NpyException(path, $"{count} elements exceed what one array can hold");
        if (stream.CanSeek)
        {
            long available = stream.Length - stream.Position;
            if (available < count * itemSize)
                throw new NpyException(path, $"file is truncated: shape ({string.Join(", ", shape)}) needs {count * itemSize} data bytes, the file has {available}");
        }

        FloatConversions.EnsureLittleEndian();
        var data = new float[count];
        if (itemSize == 4)
        {
            stream.ReadExactly(MemoryMarshal.AsBytes(data.AsSpan()));
            if (bigEndian) FloatConversions.SwapSingles(data);
        }
        else
        {
            var bytes = new byte[checked(count * 8)];
            stream.ReadExactly(bytes);
            FloatConversions.DoubleToSingle(bytes, data, bigEndian);
        }
        return new NpyArray(data, shape);
    }

    /// <summary>Parses the Python dict literal of a .npy header: {'descr': '&lt;f4', 'fortran_order': False, 'shape': (2, 3), }.</summary>
    internal static (string Descr, bool Fortran, long[] Shape) ParseHeader(string header, string path)
    {
        string? descr = null;
        bool? fortran = null;
        long[]? shape = null;
        var s = header.Trim();
        int i = 0;

        void Fail(string what) => throw new NpyException(path, $"malformed header ({what}): {header.TrimEnd()}");
        void SkipSpace() { while (i < s.Length && char.IsWhiteSpace(s[i])) i++; }
        void Expect(char c)
        {
            SkipSpace();
            if (i >= s.Length || s[i] != c) Fail($"expected '{c}' at position {i}");
            i++;
        }
        string ReadString()
        {
            SkipSpace();
            if (i >= s.Length || (s[i] != '\'' && s[i] != '"')) Fail($"expected a string at position {i}");
            char quote = s[i++];
            int start = i;
            while (i < s.Length && s[i] != quote) i++;
            if (i >= s.Length) Fail("unterminated string");
            return s[start..i++];
        }

        Expect('{');
        while (true)
        {
            SkipSpace();
            if (i < s.Length && s[i] == '}') { i++; break; }
            var key = ReadString();
            Expect(':');
            SkipSpace();
            switch (key)
            {
                case "descr":
                    if (i < s.Length && s[i] == '[') Fail("structured dtypes are not supported");
                    descr = ReadString();
                    break;
                case "fortran_order":
                    if (s.AsSpan(i).StartsWith("True")) { fortran = true; i += 4; }
                    else if (s.AsSpan(i).StartsWith("False")) { fortran = false; i += 5; }
                    else Fail("fortran_order must be True or False");
                    break;
                case "shape":
                    Expect('(');
                    var dims = new List<long>();
                    while (true)
                    {
                        SkipSpace();
                        if (i < s.Length && s[i] == ')') { i++; break; }
                        int start = i;
                        while (i < s.Length && char.IsAsciiDigit(s[i])) i++;
                        // Python 2 era writers may append 'L' to long integers.
                        if (!long.TryParse(s.AsSpan(start, i - start), NumberStyles.None, CultureInfo.InvariantCulture, out var dim))
                            Fail("shape must be a tuple of non-negative integers");
                        if (i < s.Length && s[i] == 'L') i++;
                        dims.Add(dim);
                        SkipSpace();
                        if (i < s.Length && s[i] == ',') i++;
                    }
                    shape = dims.ToArray();
                    break;
                default:
                    Fail($"unknown key '{key}'");
                    break;
            }
            SkipSpace();
            if (i < s.Length && s[i] == ',') i++;
        }
        if (descr is null || fortran is null || shape is null) Fail("descr, fortran_order and shape are all required");
        return (descr!, fortran!.Value, shape!);
    }

    /// <summary>Writes <paramref name="values"/> (any floating-point dtype, any device) as a float32 C-order .npy file.</summary>
    public static void Write(string path, Tensor values)
    {
        ArgumentNullException.ThrowIfNull(values);
        Write(path, TensorData.ToFloats(values), values.shape);
    }

    /// <summary>Writes <paramref name="data"/> with <paramref name="shape"/> (C order) as a float32 .npy file.</summary>
    public static void Write(string path, ReadOnlySpan<float> data, ReadOnlySpan<long> shape)
    {
        ArgumentNullException.ThrowIfNull(path);
        long count = 1;
        foreach (var d in shape)
        {
            if (d < 0) throw new TsgbInputException($"Shape dimension {d} is negative.");
            count *= d;
        }
        if (count != data.Length)
            throw new TsgbInputException($"Shape ({string.Join(", ", shape.ToArray())}) holds {count} elements, the data has {data.Length}.");
        FloatConversions.EnsureLittleEndian();

        var dims = shape.Length == 1 ? $"{shape[0]}," : string.Join(", ", shape.ToArray());
        var dict = $"{{'descr': '<f4', 'fortran_order': False, 'shape': ({dims}), }}";
        // Version 1.0 stores the header length in 2 bytes; very long shapes need 2.0. Pad so that the data is 64-byte aligned.
        int major = dict.Length + 1 + 10 > ushort.MaxValue ? 2 : 1;
        int preamble = major == 1 ? 10 : 12;
        int total = preamble + dict.Length + 1;
        int padded = (total + 63) / 64 * 64;
        var header = dict + new string(' ', padded - total) + "\n";

        var full = Path.GetFullPath(path);
        Directory.CreateDirectory(Path.GetDirectoryName(full)!);
        using var stream = new FileStream(full, FileMode.Create, FileAccess.Write, FileShare.None);
        stream.Write(Magic);
        stream.WriteByte((byte)major);
        stream.WriteByte(0);
        Span<byte> length = stackalloc byte[4];
        if (major == 1)
        {
            BinaryPrimitives.WriteUInt16LittleEndian(length, (ushort)header.Length);
            stream.Write(length[..2]);
        }
        else
        {
            BinaryPrimitives.WriteUInt32LittleEndian(length, (uint)header.Length);
            stream.Write(length);
        }
        stream.Write(Encoding.Latin1.GetBytes(header));
        stream.Write(MemoryMarshal.AsBytes(data));
    }

    /// <summary>Writes <paramref name="data"/> with <paramref name="shape"/> (C order) as a float32 .npy file.</summary>
    public static void Write(string path, float[] data, params long[] shape) => Write(path, data.AsSpan(), shape.AsSpan());
}
