using TorchSharp;
using TsgbKit.Models;
using TsgbKit.Native;
using TsgbKit.Rules;
using static TorchSharp.torch;
using TsgbKit.Errors;

namespace TsgbKit.Engine;

/// <summary>
/// One forward and one backward pass with a composite's rules attached: row i of the batch backpropagates the raw
/// score (logit) of targets[i]. Every method builds on this; several targets are one batched pass.
/// </summary>
public static class Backprop
{
    /// <param name="inputs">N×3×H×W with one target per row, or one image (1×3×H×W) for all the targets</param>
    public static BackpropResult Run(Classifier model, Tensor inputs, long[] targets, Composite? rules,
        bool statistics = false, IReadOnlyCollection<string>? capture = null) =>
        Run(model, inputs, TargetSelection.Fixed(targets), rules, statistics, capture);

    /// <param name="targets">fixed targets, or (one image only) targets chosen from this pass's own logits</param>
    internal static BackpropResult Run(Classifier model, Tensor inputs, TargetSelection targets, Composite? rules,
        bool statistics = false, IReadOnlyCollection<string>? capture = null)
    {
        TorchNative.EnsureLoaded();
        capture ??= Array.Empty<string>();
        if (inputs.dim() != 4 || inputs.shape[1] != 3)
            throw new TsgbInputException($"inputs must be N×3×H×W, got {ShapeText(inputs)}");
        bool oneImage = inputs.shape[0] == 1 && targets.Count > 1;
        if (inputs.shape[0] != targets.Count && !oneImage)
            throw new TsgbInputException($"{inputs.shape[0]} input rows but {targets.Count} targets");
        if (targets.Known is { } known) CheckRange(model, known);
        else if (inputs.shape[0] != 1)
            throw new TsgbInputException("targets chosen from the scores need one image (1×3×H×W)");

        using var guard = ModelGuard.Enter(model.Module);
        // one image, several targets, nothing to record: a VGG feature stack under TSGB has an exact one-channel backward
        if (oneImage && !statistics && capture.Count == 0 &&
            FactorizedTsgbBackward.TryRun(model, inputs.to(model.Device).detach(), targets, rules) is { } fast)
            return fast;
        if (statistics) PassCounters.CountStatistics();
        using var scope = NewDisposeScope();
        var image = inputs.to(model.Device).detach();
        var x = (oneImage ? image.expand(targets.Count, -1, -1, -1) : image).clone().requires_grad_(true);

        // One image, several targets: the forward is the same for every row, so rule layers are computed once
        var ruleLayers = oneImage ? AttributionScope.RulesOf(model.Module, image, rules) : new();
        using var replay = ruleLayers.Count > 0 ? OutputCache.Record(model.Module, image, ruleLayers) : null;
        using var attached = AttributionScope.Attach(model.Module, image, rules, statistics, capture, replay);
        var logits = model.Module.call(x);
        if (logits.dim() != 2 || logits.shape[1] != model.Labels.Count)
            throw new TsgbStateException($"the model produced logits of shape {ShapeText(logits)}, expected N×{model.Labels.Count} (one per label)");

        var chosen = Chosen(model, targets, logits);
        var index = tensor(chosen, device: logits.device).unsqueeze(1);
        logits.gather(1, index).sum().backward();

        var captured = new Dictionary<string, (Tensor, Tensor)>();
        foreach (var name in capture)
        {
            var record = attached.Records.LastOrDefault(r => r.Name == name)
                ?? throw new TsgbStateException($"layer '{name}' did not run in the forward pass");
            if (record.Output is null || record.Gradient is null)
                throw new TsgbStateException($"no gradient reached layer '{name}'");
            captured[name] = (record.Output.detach().cpu().MoveToOuterDisposeScope(), record.Gradient.cpu().MoveToOuterDisposeScope());
        }

        var stats = statistics ? LayerStatistics.From(attached.Records, chosen.Length) : Array.Empty<LayerStatistics>();
        return new BackpropResult
        {
            Inputs = x.detach().cpu().MoveToOuterDisposeScope(),
            InputGradient = (x.grad ?? zeros_like(x)).cpu().MoveToOuterDisposeScope(),
            Logits = logits.detach().cpu().MoveToOuterDisposeScope(),
            Captured = captured,
            Statistics = stats,
            Targets = chosen,
        };
    }

    /// <summary>The targets of a pass whose forward gave <paramref name="logits"/>: chosen there if they depend on them.</summary>
    internal static long[] Chosen(Classifier model, TargetSelection targets, Tensor logits)
    {
        if (targets.Known is { } known) return known;
        var chosen = targets.Choose(logits);
        CheckRange(model, chosen);
        return chosen;
    }

    private static void CheckRange(Classifier model, long[] targets)
    {
        foreach (var t in targets)
            if (t < 0 || t >= model.Labels.Count)
                throw new TsgbInputException($"target {t} is outside the model's {model.Labels.Count} classes (0..{model.Labels.Count - 1})");
    }

    internal static string ShapeText(Tensor t) => string.Join("×", t.shape);
}
