using TsgbKit.Explain;
using TsgbKit.Methods;

namespace TsgbKit.Interactive.Commands;

/// <summary>Runs the fluent API for targets given on a command line.</summary>
internal static class Targets
{
    public static IReadOnlyList<Explanation> Explain(ExplainRequest request, IReadOnlyList<object> items, int? top, SaliencyMethod method)
    {
        if (top is int k) return request.For(Tsgb.Top(k)).With(method);
        if (items.Count == 1)
            return [items[0] is int index ? request.For(index).With(method) : request.For((string)items[0]).With(method)];
        return request.For(items).With(method);
    }
}
