using System.Runtime.InteropServices;
using TsgbKit.Tensors;
using static TorchSharp.torch;

namespace TsgbKit.Weights.PyTorch;

/// <summary>Reads a storage into a one-dimensional tensor, and turns a tensor descriptor into a contiguous tensor.</summary>
internal static class StorageTensors
{
    /// <summary>
    /// The whole root storage as a 1-D tensor: floating-point types as float32, integers and bools as they are. The
    /// bytes are read straight into the array the tensor is built on (shared, pinned, not copied), so hand out only
    /// <see cref="Window"/>s of it, which are copies.
    /// </summary>
    public static Tensor Read(IStorageReader reader, PickledStorage storage, string path)
    {
        FloatConversions.EnsureLittleEndian();
        var type = storage.ElementType;
        if (storage.ElementCount == 0) return empty(0, type.Loaded);
        if (checked(storage.ElementCount * type.Size) > Array.MaxLength)
            throw new WeightsException(path, null, $"storage '{storage.Key}' holds {storage.ElementCount} × {type.StorageClass}, more than Tsgb reads into one array");
        int n = (int)storage.ElementCount;
        switch (type.Stored)
        {
            case ScalarType.Float32: return Shared<float>(reader, storage, n);
            case ScalarType.Float64: return Shared<double>(reader, storage, n).to_type(ScalarType.Float32);
            case ScalarType.Int64: return Shared<long>(reader, storage, n);
            case ScalarType.Int32: return Shared<int>(reader, storage, n);
            case ScalarType.Int16: return Shared<short>(reader, storage, n);
            case ScalarType.Int8: return Shared<sbyte>(reader, storage, n);
            case ScalarType.Byte: return Shared<byte>(reader, storage, n);
            case ScalarType.Bool: return Shared<byte>(reader, storage, n).ne(0); // any non-zero byte is true
        }
        // half and bfloat16 have no array type TorchSharp builds on: converted to float32 here
        var bytes = new byte[n * type.Size];
        reader.Read(storage, bytes);
        var values = new float[n];
        if (type.Stored == ScalarType.Float16) FloatConversions.HalfToSingle(bytes, values);
        else FloatConversions.BFloat16ToSingle(bytes, values);
        return frombuffer(values, ScalarType.Float32);
    }

    static Tensor Shared<T>(IStorageReader reader, PickledStorage storage, int count) where T : unmanaged
    {
        var values = new T[count];
        reader.Read(storage, MemoryMarshal.AsBytes(values.AsSpan()));
        return frombuffer(values, ScalarTypeOf<T>());
    }

    static ScalarType ScalarTypeOf<T>() => default(T) switch
    {
        float => ScalarType.Float32,
        double => ScalarType.Float64,
        long => ScalarType.Int64,
        int => ScalarType.Int32,
        short => ScalarType.Int16,
        sbyte => ScalarType.Int8,
        byte => ScalarType.Byte,
        _ => throw new NotSupportedException(typeof(T).Name),
    };

    /// <summary>True when every element <paramref name="t"/> addresses lies inside its storage (or view).</summary>
    public static bool FitsInStorage(PickledTensor t)
    {
        if (t.Shape.Any(d => d == 0)) return true;
        try
        {
            long last = t.StorageOffset;
            for (int i = 0; i < t.Shape.Length; i++) last = checked(last + (t.Shape[i] - 1) * t.Stride[i]);
            return last < t.Storage.VisibleCount;
        }
        catch (OverflowException)
        {
            return false; // a shape no storage can hold: as_strided would address memory outside it
        }
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
