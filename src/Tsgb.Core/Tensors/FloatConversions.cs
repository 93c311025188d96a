using System.Buffers.Binary;
using System.Runtime.InteropServices;

namespace TsgbKit.Tensors;

/// <summary>Element conversions between little-endian byte buffers and float32, shared by the file readers and writers.</summary>
internal static class FloatConversions
{
    public static void EnsureLittleEndian()
    {
        if (!BitConverter.IsLittleEndian)
            throw new PlatformNotSupportedException("Tsgb's file readers and writers need a little-endian machine.");
    }

    public static float HalfToSingle(ushort bits) => (float)BitConverter.UInt16BitsToHalf(bits);

    public static ushort SingleToHalf(float value) => BitConverter.HalfToUInt16Bits((Half)value);

    public static float BFloat16ToSingle(ushort bits) => BitConverter.Int32BitsToSingle(bits << 16);

    /// <summary>Round-to-nearest-even, as PyTorch does; NaN stays a (quiet) NaN.</summary>
    public static ushort SingleToBFloat16(float value)
    {
        uint u = BitConverter.SingleToUInt32Bits(value);
        if (float.IsNaN(value)) return (ushort)((u >> 16) | 0x0040);
        uint lsb = (u >> 16) & 1;
        u += 0x7FFFu + lsb;
        return (ushort)(u >> 16);
    }

    public static void HalfToSingle(ReadOnlySpan<byte> source, Span<float> target)
    {
        for (int i = 0; i < target.Length; i++)
            target[i] = HalfToSingle(BinaryPrimitives.ReadUInt16LittleEndian(source.Slice(2 * i, 2)));
    }

    public static void BFloat16ToSingle(ReadOnlySpan<byte> source, Span<float> target)
    {
        for (int i = 0; i < target.Length; i++)
            target[i] = BFloat16ToSingle(BinaryPrimitives.ReadUInt16LittleEndian(source.Slice(2 * i, 2)));
    }

    public static void DoubleToSingle(ReadOnlySpan<byte> source, Span<float> target, bool bigEndian = false)
    {
        for (int i = 0; i < target.Length; i++)
        {
            var slice = source.Slice(8 * i, 8);
            target[i] = (float)(bigEndian ? BinaryPrimitives.ReadDoubleBigEndian(slice) : BinaryPrimitives.ReadDoubleLittleEndian(slice));
        }
    }

    public static void SingleToHalf(ReadOnlySpan<float> source, Span<byte> target)
    {
        for (int i = 0; i < source.Length; i++)
            BinaryPrimitives.WriteUInt16LittleEndian(target.Slice(2 * i, 2), SingleToHalf(source[i]));
    }

    public static void SingleToBFloat16(ReadOnlySpan<float> source, Span<byte> target)
    {
        for (int i = 0; i < source.Length; i++)
            BinaryPrimitives.WriteUInt16LittleEndian(target.Slice(2 * i, 2), SingleToBFloat16(source[i]));
    }

    public static void SwapSingles(Span<float> values)
    {
        var ints = MemoryMarshal.Cast<float, int>(values);
        for (int i = 0; i < ints.Length; i++) ints[i] = BinaryPrimitives.ReverseEndianness(ints[i]);
    }
}
