using System.Runtime.InteropServices;
using TsgbKit.Tensors;
using static TorchSharp.torch;

namespace TsgbKit.Weights.PyTorch;

/// <summary>Turns a storage's raw bytes into a one-dimensional tensor, and a tensor descriptor into a contiguous tensor.</summary>
internal static class StorageTensors
{
    /// <summary>The whole storage as a 1-D tensor: floating-point types as float32, integers and bools as they are.</summary>
    public static Tensor FromBytes(byte[] bytes, PyTorchElementType type)
    {
        FloatConversions.EnsureLittleEndian();
        switch (type.Stored)
        {
            case ScalarType.Float32: return tensor(MemoryMarshal.Cast<byte, float>(bytes).ToArray());
            case ScalarType.Float64: return tensor(Converted(bytes, 8, (s, t) => FloatConversions.DoubleToSingle(s, t)));
            case ScalarType.Float16: return tensor(Converted(bytes, 2, FloatConversions.HalfToSingle));
            case ScalarType.BFloat16: return tensor(Converted(bytes, 2, FloatConversions.BFloat16ToSingle));
            case ScalarType.Int64: return tensor(MemoryMarshal.Cast<byte, long>(bytes).ToArray());
            case ScalarType.Int32: return tensor(MemoryMarshal.Cast<byte, int>(bytes).ToArray());
            case ScalarType.Int16: return tensor(MemoryMarshal.Cast<byte, short>(bytes).ToArray());
            case ScalarType.Int8: return tensor(MemoryMarshal.Cast<byte, sbyte>(bytes).ToArray());
            case ScalarType.Byte: return tensor(bytes);
            case ScalarType.Bool: return tensor(bytes.Select(b => b != 0).ToArray());
            default: throw new NotSupportedException($"storage type {type.StorageClass}");
        }
    }

    static float[] Converted(byte[] bytes, int size, SpanConversion convert)
    {
        var values = new float[bytes.Length / size];
        convert(bytes, values);
        return values;
    }

    delegate void SpanConversion(ReadOnlySpan<byte> source, Span<float> target);

    /// <summary>True when every element <paramref name="t"/> addresses lies inside its storage (or view).</summary>
    public static bool FitsInStorage(PickledTensor t)
    {
        if (t.Shape.Any(d => d == 0)) return true;
        long last = t.StorageOffset;
        for (int i = 0; i < t.Shape.Length; i++) last += (t.Shape[i] - 1) * t.Stride[i];
        return last < t.Storage.VisibleCount;
    }

    /// <summary>The contiguous tensor <paramref name="t"/> describes, copied out of <paramref name="storage"/> (the root storage).</summary>
    public static Tensor Window(Tensor storage, PickledTensor t)
    {
        if (t.Shape.Any(d => d == 0)) return empty(t.Shape, storage.dtype);
        var view = storage.as_strided(t.Shape, t.Stride, t.Storage.ViewOffset + t.StorageOffset);
        // a contiguous copy that owns its memory, not a view that would keep a whole shared storage alive
        return view.is_contiguous() ? view.clone() : view.contiguous();
    }
}
