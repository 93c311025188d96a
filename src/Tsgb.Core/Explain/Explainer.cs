using TsgbKit.Methods;
using static TorchSharp.torch;

namespace TsgbKit.Explain;

/// <summary>Resolves targets against the model's scores, runs the method once for all of them, packs the results.</summary>
internal static class Explainer
{
    public static ExplanationSet Run(ExplainRequest request, TargetSpec spec, SaliencyMethod method)
    {
        var model = request.Model;
        using var scope = NewDisposeScope();
        var logits = model.Logits(request.Input)[0];
        var targets = spec.Resolve(model, logits.data<float>().ToArray());
        var inputs = request.Input; // one image for all targets: the engine computes the shared forward once

        using var attribution = method.Attribute(model, inputs, targets, statistics: true);
        var probabilities = model.Probabilities(logits).data<float>().ToArray();
        var scores = logits.data<float>().ToArray();
        int height = (int)inputs.shape[2], width = (int)inputs.shape[3];

        var explanations = new List<Explanation>();
        for (int i = 0; i < targets.Length; i++)
        {
            int target = (int)targets[i];
            explanations.Add(new Explanation(
                map: attribution.Maps[i].contiguous().data<float>().ToArray(), height, width,
                target, model.Labels[target], scores[target], probabilities[target],
                method.Name, method.Description, request.Image,
                attribution.Statistics.Count > i ? attribution.Statistics[i] : new Engine.LayerStatistics([])));
        }
        return new ExplanationSet(explanations);
    }
}
