using TsgbKit.Engine;
using TsgbKit.Models;
using static TorchSharp.torch;

namespace TsgbKit.Methods;

/// <summary>Guided Grad-CAM: the Grad-CAM map (upsampled) times the guided-backprop map (max_c |g|).</summary>
public sealed class GuidedGradCam(string? layer = null) : SaliencyMethod
{
    public string? Layer { get; } = layer;

    public override bool ReadsLayer => true;

    public override string? LayerOn(Classifier model) => Layer ?? model.CamLayer;

    public override string Name => "guided-gradcam";
    public override string Description => "Guided Grad-CAM: Grad-CAM's class-selective region times Guided Backprop's fine detail.";

    public override AttributionResult Attribute(Classifier model, Tensor inputs, long[] targets, bool statistics = false) =>
        Attribute(model, inputs, TargetSelection.Fixed(targets), statistics);

    internal override AttributionResult Attribute(Classifier model, Tensor inputs, TargetSelection targets, bool statistics)
    {
        // Grad-CAM's forward chooses the targets; guided backprop then explains the same ones
        using var cam = new GradCam(Layer).Attribute(model, inputs, targets, statistics);
        using var guided = new GuidedBackprop().Attribute(model, inputs, cam.Targets, statistics: false);
        return new AttributionResult(cam.Maps * guided.Maps, cam.Logits.clone(), cam.Statistics) { Targets = cam.Targets };
    }
}
