using static TorchSharp.torch;

namespace TsgbKit.Engine;

/// <summary>
/// One image explained for k targets reaches the rules as a broadcast view (row stride 0): its terms are computed
/// once on the single row and broadcast against the k-row gradient.
/// </summary>
internal static class SharedRows
{
    /// <summary>The first row when every row of <paramref name="t"/> is the same memory; otherwise <paramref name="t"/>.</summary>
    public static Tensor OneRowIfShared(this Tensor t) => t.shape[0] > 1 && t.stride(0) == 0 ? t.narrow(0, 0, 1) : t;
}
