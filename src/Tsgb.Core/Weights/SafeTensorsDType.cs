using TorchSharp;

namespace TsgbKit.Weights;

/// <summary>Element types of the safetensors format that Tsgb reads (all) and writes (F32, F16, BF16, I64, I32).</summary>
public enum SafeTensorsDType
{
    F32,
    F16,
    BF16,
    F64,
    I64,
    I32,
}

/// <summary>Facts about <see cref="SafeTensorsDType"/>.</summary>
public static class SafeTensorsDTypes
{
    /// <summary>Bytes per element.</summary>
    public static int Size(this SafeTensorsDType dtype) => dtype switch
    {
        SafeTensorsDType.F32 => 4,
        SafeTensorsDType.F16 => 2,
        SafeTensorsDType.BF16 => 2,
        SafeTensorsDType.F64 => 8,
        SafeTensorsDType.I64 => 8,
        SafeTensorsDType.I32 => 4,
        _ => throw new ArgumentOutOfRangeException(nameof(dtype), dtype, null),
    };

    /// <summary>True for the floating-point types, which are read as float32 tensors.</summary>
    public static bool IsFloatingPoint(this SafeTensorsDType dtype) =>
        dtype is SafeTensorsDType.F32 or SafeTensorsDType.F16 or SafeTensorsDType.BF16 or SafeTensorsDType.F64;

    /// <summary>The name used in the file header ("F32", "BF16", ...).</summary>
    public static string HeaderName(this SafeTensorsDType dtype) => dtype.ToString();

    /// <summary>Parses a header dtype name; false for any type Tsgb does not read.</summary>
    public static bool TryParse(string? name, out SafeTensorsDType dtype)
    {
        switch (name)
        {
            case "F32": dtype = SafeTensorsDType.F32; return true;
            case "F16": dtype = SafeTensorsDType.F16; return true;
            case "BF16": dtype = SafeTensorsDType.BF16; return true;
            case "F64": dtype = SafeTensorsDType.F64; return true;
            case "I64": dtype = SafeTensorsDType.I64; return true;
            case "I32": dtype = SafeTensorsDType.I32; return true;
            default: dtype = default; return false;
        }
    }

    /// <summary>The TorchSharp element type a tensor of this type is read into.</summary>
    public static torch.ScalarType TensorType(this SafeTensorsDType dtype) => dtype switch
    {
        SafeTensorsDType.I64 => torch.ScalarType.Int64,
        SafeTensorsDType.I32 => torch.ScalarType.Int32,
        _ => torch.ScalarType.Float32,
    };

    internal static bool IsIntegral(torch.ScalarType type) => type is torch.ScalarType.Int64 or torch.ScalarType.Int32
        or torch.ScalarType.Int16 or torch.ScalarType.Int8 or torch.ScalarType.Byte or torch.ScalarType.Bool;

    internal static bool IsFloating(torch.ScalarType type) => type is torch.ScalarType.Float32 or torch.ScalarType.Float64
        or torch.ScalarType.Float16 or torch.ScalarType.BFloat16;
}
