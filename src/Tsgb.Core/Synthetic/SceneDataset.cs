using TsgbKit.Synthetic;
using System.Collections;
using TorchSharp;
using static TorchSharp.torch;
using TsgbKit.Errors;

namespace TsgbKit.Synthetic;

/// <summary>
/// A batch of scenes as tensors: <see cref="Input"/> N×3×H×W float (normalized unless asked otherwise) and
/// <see cref="Targets"/> N×C float multi-label targets. The tensors belong to the dispose scope that was current when
/// the batch was made (or to the caller, who disposes the batch, when there was none).
/// </summary>
public sealed class SceneBatch(Tensor input, Tensor targets, IReadOnlyList<Scene> scenes) : IDisposable
{
    public Tensor Input { get; } = input;
    public Tensor Targets { get; } = targets;

    /// <summary>The scenes the batch was made of (ground truth for evaluation).</summary>
    public IReadOnlyList<Scene> Scenes { get; } = scenes;

    public void Deconstruct(out Tensor inputs, out Tensor targets)
    {
        inputs = Input;
        targets = Targets;
    }

    public void Dispose()
    {
        Input.Dispose();
        Targets.Dispose();
    }
}

/// <summary>
/// A deterministic, lazily generated set of scenes. Scene <c>i</c> has seed <see cref="SceneSeed"/>(i) =
/// <c>Seed · 1 000 003 + i</c>, so sets with different seeds are disjoint. Nothing is stored; enumerating twice generates
/// the same scenes twice.
/// </summary>
public sealed class SceneDataset : IReadOnlyList<Scene>
{
    /// <summary>The seed stride between datasets; a dataset holds at most this many scenes.</summary>
    public const long SeedStride = 1_000_003;

    public SceneDataset(int count, int seed, SceneOptions? options = null)
    {
        if (count < 0 || count > SeedStride) throw new TsgbInputException($"Need 0 ≤ count ≤ {SeedStride}.");
        Count = count;
        Seed = seed;
        Options = options ?? SceneOptions.Default;
        Options.Validate();
    }

    public int Count { get; }
    public int Seed { get; }
    public SceneOptions Options { get; }

    /// <summary>The seed of scene <paramref name="index"/>.</summary>
    public long SceneSeed(int index) => Seed * SeedStride + index;

    /// <summary>Generates scene <paramref name="index"/>.</summary>
    public Scene this[int index]
    {
        get
        {
            if ((uint)index >= (uint)Count) throw new TsgbInputException($"Scene {index} is outside the dataset (0..{Count - 1}).");
            return Scenes.Generate(SceneSeed(index), Options);
        }
    }

    public IEnumerator<Scene> GetEnumerator()
    {
        for (int i = 0; i < Count; i++) yield return this[i];
    }

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    /// <summary>
    /// Scenes <c>indices</c> generated in parallel (up to <paramref name="maxParallelism"/> threads; default: all cores),
    /// in the given order.
    /// </summary>
    public Scene[] GenerateMany(IReadOnlyList<int> indices, int? maxParallelism = null)
    {
        var scenes = new Scene[indices.Count];
        Parallel.For(0, indices.Count, new ParallelOptions { MaxDegreeOfParallelism = maxParallelism ?? Environment.ProcessorCount },
            i => scenes[i] = this[indices[i]]);
        return scenes;
    }

    /// <summary>
    /// Yields the dataset as batches of tensors (the last may be smaller). With <paramref name="shuffleSeed"/> the order
    /// is a deterministic permutation of that seed (use the epoch number for per-epoch shuffles); otherwise 0..Count-1.
    /// Scenes of a batch are generated in parallel. Each batch's tensors go to the dispose scope current when it is
    /// yielded; dispose the batch (or the scope) when done.
    /// </summary>
    public IEnumerable<SceneBatch> Batches(int batchSize, bool normalize = true, int? shuffleSeed = null, int? maxParallelism = null)
    {
        if (batchSize <= 0) throw new TsgbInputException($"The batch size must be positive, not {batchSize}.");
        var order = Enumerable.Range(0, Count).ToArray();
        if (shuffleSeed is { } s)
        {
            var rng = new SceneRandom(unchecked((ulong)s * 0x9E3779B97F4A7C15UL + (ulong)Seed));
            for (int i = order.Length - 1; i > 0; i--)
            {
                int j = rng.Next(0, i + 1);
                (order[i], order[j]) = (order[j], order[i]);
            }
        }
        for (int start = 0; start < Count; start += batchSize)
        {
            var indices = order.AsSpan(start, Math.Min(batchSize, Count - start)).ToArray();
            var scenes = GenerateMany(indices, maxParallelism);
            yield return ToBatch(scenes, normalize);
        }
    }

    /// <summary>Stacks scenes (all of one size) into a batch.</summary>
    public static SceneBatch ToBatch(IReadOnlyList<Scene> scenes, bool normalize = true)
    {
        if (scenes.Count == 0) throw new TsgbInputException("No scenes.");
        int w = scenes[0].Width, h = scenes[0].Height, n = scenes.Count, c = SceneClasses.Count, plane = 3 * w * h;
        var input = new float[n * plane];
        var targets = new float[n * c];
        for (int i = 0; i < n; i++)
        {
            if (scenes[i].Width != w || scenes[i].Height != h) throw new TsgbInputException("Scenes differ in size.");
            scenes[i].WriteInput(input.AsSpan(i * plane, plane), normalize);
            scenes[i].Targets.CopyTo(targets, i * c);
        }
        return new SceneBatch(torch.tensor(input, new long[] { n, 3, h, w }), torch.tensor(targets, new long[] { n, c }), scenes);
    }
}
