using TsgbKit.Errors;

namespace TsgbKit.Explain;

/// <summary>The k best-scoring classes as targets: <c>.For(Tsgb.Top(3))</c>.</summary>
public sealed record TopTargets(int K)
{
    public int K { get; } = K > 0 ? K : throw new TsgbInputException("Top(k) needs k ≥ 1");
}
