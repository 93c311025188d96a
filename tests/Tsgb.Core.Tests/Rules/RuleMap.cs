using TsgbKit.Engine;
using TsgbKit.Models;
using TsgbKit.Rules;
using static TorchSharp.torch;

namespace TsgbKit.Tests.Rules;

/// <summary>
/// Which rule each leaf layer got in a real attribution (read off the layer statistics), so that selector tests
/// check what the engine does rather than what a selector says about itself.
/// </summary>
internal static class RuleMap
{
    public static Dictionary<string, string> Of(Classifier model, Composite composite, int size = 32)
    {
        using var scope = NewDisposeScope();
        var input = randn([1, 3, size, size], generator: new Generator(5));
        var result = Backprop.Run(model, input, [0L], composite, statistics: true);
        var map = new Dictionary<string, string>();
        foreach (var row in result.Statistics[0].Rows)
            map.TryAdd(row.Layer, row.Rule);
        return map;
    }

    /// <summary>The layers that got a rule other than the plain gradient.</summary>
    public static SortedSet<string> Ruled(Classifier model, Composite composite, int size = 32) =>
        new(Of(model, composite, size).Where(p => p.Value != "gradient").Select(p => p.Key), StringComparer.Ordinal);
}
