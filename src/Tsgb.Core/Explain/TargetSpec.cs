using TsgbKit.Engine;
using TsgbKit.Models;
using TsgbKit.Errors;

namespace TsgbKit.Explain;

/// <summary>What the user asked to explain: labels, indices, or the top k; resolved against the model's scores.</summary>
internal sealed class TargetSpec
{
    private readonly IReadOnlyList<object> _items;
    private readonly int? _top;

    private TargetSpec(IReadOnlyList<object> items, int? top) { _items = items; _top = top; }

    public static TargetSpec Of(IEnumerable<object> items) => new(items.ToList(), null);
    public static TargetSpec Top(int k) => new([], k);

    /// <summary>
    /// The targets as the engine takes them: fixed where indices and labels naming one class fix them (an unknown
    /// label fails here, before any pass); otherwise chosen from the scores of the pass itself.
    /// </summary>
    public TargetSelection Selection(Classifier model)
    {
        if (_top is int k) return TargetSelection.FromScores(Math.Min(k, model.Labels.Count), scores => Resolve(model, scores));
        bool needsScores = _items.Any(item => item is string label && !model.Labels.NamesOneClass(label));
        return needsScores
            ? TargetSelection.FromScores(_items.Count, scores => Resolve(model, scores))
            : TargetSelection.Fixed(Resolve(model, default));
    }

    /// <summary>Class indices, in the order asked; labels resolve exactly, then by synonym, then by best-scoring match.</summary>
    public long[] Resolve(Classifier model, ReadOnlySpan<float> logits)
    {
        if (_top is int k)
        {
            var scores = logits.ToArray();
            return Enumerable.Range(0, scores.Length).OrderByDescending(i => scores[i]).Take(Math.Min(k, scores.Length)).Select(i => (long)i).ToArray();
        }
        var result = new long[_items.Count];
        for (int i = 0; i < _items.Count; i++)
        {
            result[i] = _items[i] switch
            {
                int index when index >= 0 && index < model.Labels.Count => index,
                int index => throw new TsgbInputException($"class index {index} is outside 0..{model.Labels.Count - 1} ({model.Architecture} has {model.Labels.Count} classes)"),
                string label => model.Labels.Resolve(label, logits),
                var other => throw new TsgbInputException($"a target is a label or a class index, not {other}"),
            };
        }
        return result;
    }
}
