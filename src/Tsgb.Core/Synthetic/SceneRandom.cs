namespace TsgbKit.Synthetic;

/// <summary>
/// A small deterministic generator (xoshiro256**, seeded through SplitMix64), so that a scene depends on its seed alone
/// and never on the .NET version's <see cref="Random"/>.
/// </summary>
internal sealed class SceneRandom
{
    ulong _s0, _s1, _s2, _s3;

    public SceneRandom(ulong seed)
    {
        ulong x = seed;
        _s0 = SplitMix(ref x); _s1 = SplitMix(ref x); _s2 = SplitMix(ref x); _s3 = SplitMix(ref x);
    }

    public static ulong SplitMix(ref ulong x)
    {
        ulong z = x += 0x9E3779B97F4A7C15UL;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }

    /// <summary>A stateless hash of (seed, index), used for per-pixel noise.</summary>
    public static ulong Hash(ulong seed, ulong index)
    {
        ulong x = seed ^ (index * 0xD1B54A32D192ED03UL);
        return SplitMix(ref x);
    }

    public ulong NextULong()
    {
        ulong result = RotL(_s1 * 5, 7) * 9;
        ulong t = _s1 << 17;
        _s2 ^= _s0; _s3 ^= _s1; _s1 ^= _s2; _s0 ^= _s3;
        _s2 ^= t;
        _s3 = RotL(_s3, 45);
        return result;
    }

    static ulong RotL(ulong x, int k) => (x << k) | (x >> (64 - k));

    /// <summary>Uniform in [0, 1).</summary>
    public double NextDouble() => (NextULong() >> 11) * (1.0 / (1UL << 53));

    /// <summary>Uniform in [min, max).</summary>
    public double Uniform(double min, double max) => min + (max - min) * NextDouble();

    public float UniformF(double min, double max) => (float)Uniform(min, max);

    /// <summary>Uniform integer in [min, maxExclusive).</summary>
    public int Next(int min, int maxExclusive) => min + (int)((NextULong() >> 33) % (ulong)(maxExclusive - min));

    public bool Chance(double p) => NextDouble() < p;
}
