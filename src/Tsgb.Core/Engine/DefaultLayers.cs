using TorchSharp;
using TorchSharp.Modules;
using TsgbKit.Errors;

namespace TsgbKit.Engine;

/// <summary>Where layer methods (Grad-CAM, NormGrad) look by default: the last convolutional block.</summary>
internal static class DefaultLayers
{
    public static string CamLayer(torch.nn.Module model)
    {
        var top = model.named_children().Select(c => c.name).ToList();
        // ResNet-style: the last stage (torchvision's layer4)
        var stage = top.LastOrDefault(n => n.StartsWith("layer", StringComparison.Ordinal) && int.TryParse(n[5..], out _));
        if (stage is not null) return stage;

        // VGG-style: the last activation after the last convolution, before any pooling to a vector
        var layers = AttributionScope.Layers(model);
        int lastConv = -1;
        for (int i = 0; i < layers.Count; i++) if (layers[i].Module is Conv2d) lastConv = i;
        if (lastConv < 0) throw new TsgbInputException("the model has no Conv2d layer: CAM methods need a convolutional layer");
        int chosen = lastConv;
        for (int i = lastConv + 1; i < layers.Count && layers[i].Module is ReLU or BatchNorm2d; i++) chosen = i;
        return layers[chosen].Name;
    }
}
