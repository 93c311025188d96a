using static TorchSharp.torch;

namespace TsgbKit.Tensors;

/// <summary>Copies tensor values (any device, any layout) into managed arrays; empty tensors give empty arrays.</summary>
internal static class TensorData
{
    public static float[] ToFloats(Tensor tensor)
    {
        if (tensor.numel() == 0) return [];
        using var scope = NewDisposeScope();
        return tensor.detach().cpu().to_type(ScalarType.Float32).contiguous().data<float>().ToArray();
    }

    public static long[] ToLongs(Tensor tensor)
    {
        if (tensor.numel() == 0) return [];
        using var scope = NewDisposeScope();
        return tensor.detach().cpu().to_type(ScalarType.Int64).contiguous().data<long>().ToArray();
    }

    public static int[] ToInts(Tensor tensor)
    {
        if (tensor.numel() == 0) return [];
        using var scope = NewDisposeScope();
        return tensor.detach().cpu().to_type(ScalarType.Int32).contiguous().data<int>().ToArray();
    }
}
