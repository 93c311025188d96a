using static TorchSharp.torch;

namespace TsgbKit.Weights.PyTorch;

/// <summary>
/// The element type of a PyTorch storage, named by the storage class a checkpoint refers to (torch.FloatStorage, …).
/// Floating-point storages are read as float32, as safetensors files are; integer and bool storages keep their type.
/// </summary>
internal sealed record PyTorchElementType(string StorageClass, int Size, ScalarType Stored, bool IsFloatingPoint)
{
    public static readonly IReadOnlyList<PyTorchElementType> All =
    [
        new("FloatStorage", 4, ScalarType.Float32, true),
        new("DoubleStorage", 8, ScalarType.Float64, true),
        new("HalfStorage", 2, ScalarType.Float16, true),
        new("BFloat16Storage", 2, ScalarType.BFloat16, true),
        new("LongStorage", 8, ScalarType.Int64, false),
        new("IntStorage", 4, ScalarType.Int32, false),
        new("ShortStorage", 2, ScalarType.Int16, false),
        new("CharStorage", 1, ScalarType.Int8, false),
        new("ByteStorage", 1, ScalarType.Byte, false),
        new("BoolStorage", 1, ScalarType.Bool, false),
    ];

    /// <summary>The element type a tensor of this storage is read into.</summary>
    public ScalarType Loaded => IsFloatingPoint ? ScalarType.Float32 : Stored;
}
