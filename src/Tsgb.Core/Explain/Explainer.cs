using TsgbKit.Methods;
using static TorchSharp.torch;

namespace TsgbKit.Explain;

/// <summary>
/// Runs the method once for all the targets, without statistics, and packs the results. Targets that depend on the
/// scores (Top(k), a word matching several classes) are chosen inside that pass, from its own forward, and every
/// score and probability reported comes from that forward too: no pass but the method's own.
/// </summary>
internal static class Explainer
{
    public static ExplanationSet Run(ExplainRequest request, TargetSpec spec, SaliencyMethod method)
    {
        var model = request.Model;
        var selection = spec.Selection(model);
        using var scope = NewDisposeScope();
        var inputs = request.Input; // one image for all targets: the engine computes the shared forward once

        using var attribution = method.Attribute(model, inputs, selection, statistics: false);
        var targets = attribution.Targets;
        var logits = attribution.Logits;
        var scores = logits.contiguous().data<float>().ToArray();
        var probabilities = model.Probabilities(logits).contiguous().data<float>().ToArray();
        int classes = (int)logits.shape[1], height = (int)inputs.shape[2], width = (int)inputs.shape[3];
        var statistics = method.SupportsStatistics
            ? new DeferredStatistics(model, method, request.InputValues, inputs.shape, targets)
            : null;

        var explanations = new List<Explanation>();
        for (int i = 0; i < targets.Length; i++)
        {
            int target = (int)targets[i];
            // row i is target i's own row of the pass (every row of one image has the same forward)
            int at = (i < logits.shape[0] ? i : 0) * classes + target;
            var map = attribution.Maps[i].contiguous().data<float>().ToArray();
            explanations.Add(statistics is null
                ? new Explanation(map, height, width, target, model.Labels[target], scores[at], probabilities[at],
                    method.Name, method.Description, request.Image, new Engine.LayerStatistics([]))
                : new Explanation(map, height, width, target, model.Labels[target], scores[at], probabilities[at],
                    method.Name, method.Description, request.Image, statistics, i));
        }
        return new ExplanationSet(explanations);
    }
}
