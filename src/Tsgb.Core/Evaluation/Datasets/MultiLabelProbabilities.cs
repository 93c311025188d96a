using TsgbKit.Models;
using static TorchSharp.torch;

namespace TsgbKit.Evaluation.Datasets;

/// <summary>
/// The class probabilities deletion, insertion and class sensitivity use on benchmark data: an independent sigmoid per
/// class, whatever <see cref="Classifier.Output"/> says. VOC, COCO and the scenes are multi-label (TorchRay fine-tunes its
/// VOC/COCO models with a per-class binary cross-entropy; the demo scene models are sigmoid models), so a class's
/// probability must not fall because another class in the image rises, as a softmax would make it. A torchvision
/// architecture loaded with <c>--labels voc|coco</c> is <see cref="OutputKind.Softmax"/> by default (the zoo cannot tell
/// from a weights file how it was trained), hence the choice is made here, for every dataset run.
/// </summary>
public static class MultiLabelProbabilities
{
    /// <summary>N×3×H×W normalized inputs → N×C probabilities, sigmoid of the logits (on the CPU).</summary>
    public static Func<Tensor, Tensor> Of(Classifier model) => inputs => model.Logits(inputs).sigmoid();
}
