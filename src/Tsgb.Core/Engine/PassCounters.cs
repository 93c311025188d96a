namespace TsgbKit.Engine;

/// <summary>
/// How many passes of each kind the engine ran on the current thread: lets tests check which path a call took
/// (and that statistics were not computed) without timing anything. Per thread, because tests run in parallel.
/// </summary>
internal static class PassCounters
{
    [ThreadStatic] private static int t_factorized;
    [ThreadStatic] private static int t_withStatistics;

    /// <summary>Passes through <see cref="FactorizedTsgbBackward"/>.</summary>
    public static int Factorized => t_factorized;

    /// <summary>Passes that recorded per-layer statistics.</summary>
    public static int WithStatistics => t_withStatistics;

    internal static void CountFactorized() => t_factorized++;
    internal static void CountStatistics() => t_withStatistics++;
}
