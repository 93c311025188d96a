using static TorchSharp.torch;
using TsgbKit.Errors;

namespace TsgbKit.Engine;

/// <summary>
/// The classes a pass backpropagates: indices known in advance, or a choice made from the pass's own logits
/// (<c>Top(k)</c>, a word that matches several labels). The engine asks for the choice after its forward and
/// before its backward, so a choice never costs a forward of its own. How many targets there are is always
/// known in advance: the batch is laid out before the forward runs.
/// </summary>
internal sealed class TargetSelection
{
    private readonly long[]? _known;
    private readonly Func<float[], long[]>? _choose;

    private TargetSelection(int count, long[]? known, Func<float[], long[]>? choose)
    {
        Count = count;
        _known = known;
        _choose = choose;
    }

    /// <summary>Targets given as class indices.</summary>
    public static TargetSelection Fixed(long[] targets) => new(targets.Length, targets, null);

    /// <param name="count">how many targets <paramref name="choose"/> returns</param>
    /// <param name="choose">the targets, from the scores (logits) of the one image explained</param>
    public static TargetSelection FromScores(int count, Func<float[], long[]> choose) =>
        count > 0 ? new(count, null, choose) : throw new TsgbInputException($"FromScores needs at least one target, not {count}");

    public int Count { get; }

    /// <summary>The targets when they do not depend on the scores; null when the pass must choose them.</summary>
    public long[]? Known => _known;

    /// <summary>The targets, chosen from the first row of <paramref name="logits"/> (B×C) where they depend on it.</summary>
    public long[] Choose(Tensor logits)
    {
        if (_known is not null) return _known;
        float[] scores;
        using (NewDisposeScope()) scores = logits[0].detach().cpu().data<float>().ToArray();
        var chosen = _choose!(scores);
        if (chosen.Length != Count)
            throw new TsgbInputException($"{chosen.Length} targets chosen where {Count} were laid out");
        return chosen;
    }
}
