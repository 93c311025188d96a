using TsgbKit.Labels;
using static TorchSharp.torch;
using TsgbKit.Errors;

namespace TsgbKit.Models;

/// <summary>
/// The architectures Tsgb knows by name, built with torchvision's module names so that torchvision weights
/// (a .pth as PyTorch saved it, or safetensors) load one-to-one.
/// </summary>
public static class Zoo
{
    public static IReadOnlyList<string> Architectures { get; } = ["vgg16", "vgg16_bn", "resnet18", "resnet50"];

    /// <summary>Every name <see cref="Load"/> accepts: the torchvision architectures and the built-in demo models.</summary>
    public static IReadOnlyList<string> Names { get; } = [.. Architectures, .. Demo.DemoModels.Names];

    /// <summary>
    /// A model by name: a demo model (scene-vgg, scene-resnet) with its shipped weights unless a weights file is
    /// given, or a torchvision architecture with weights from a file with torchvision's parameter names: a PyTorch
    /// checkpoint (.pth, .pt, .pth.tar: a state dict, a training checkpoint holding one, DataParallel's 'module.' keys)
    /// or safetensors, recognised by content.
    /// The number of classes comes from the file; labels default to ImageNet's for 1000 classes.
    /// </summary>
    public static Classifier Load(string name, string? weightsPath = null, LabelSet? labels = null)
    {
        var key = name.ToLowerInvariant();
        if (Demo.DemoModels.Names.Contains(key))
            return weightsPath is null ? Demo.DemoModels.Load(key) : Demo.DemoModels.FromWeights(key, weightsPath);
        if (!Architectures.Contains(key.Replace('-', '_')))
            throw new TsgbInputException($"unknown model '{name}'; known: {string.Join(", ", Names)}");
        if (weightsPath is null)
            throw new TsgbInputException($"{name} needs weights: pass torchvision's {key} weights, a .pth as PyTorch saved it or a safetensors file (see notebooks/06-your-own-model)");
        using var file = Weights.WeightsFile.Open(weightsPath);
        var head = key.StartsWith("vgg") ? "classifier.6.weight" : "fc.weight";
        if (!file.TryGetShape(head, out var shape) || shape.Length != 2)
            throw new Weights.WeightsException(weightsPath, head, $"the file has no 2-D '{head}', so it is not a torchvision {key}");
        var model = Create(key, labels, (int)shape[0]);
        try { Weights.StateDict.Load(model.Module, file); }
        catch { model.Dispose(); throw; }
        return model;
    }

    /// <summary>An architecture with fresh (random, torchvision-style) weights.</summary>
    public static Classifier Create(string architecture, LabelSet? labels = null, int? numClasses = null)
    {
        var classes = numClasses ?? labels?.Count ?? 1000;
        labels ??= DefaultLabels(classes);
        if (labels.Count != classes)
            throw new TsgbInputException($"{labels.Count} labels for a model with {classes} classes");
        nn.Module<Tensor, Tensor> module = architecture.ToLowerInvariant() switch
        {
            "vgg16" => new Vgg(Vgg.Vgg16Layers, batchNorm: false, classes),
            "vgg16_bn" or "vgg16-bn" => new Vgg(Vgg.Vgg16Layers, batchNorm: true, classes),
            "resnet18" => new ResNet(bottleneck: false, [2, 2, 2, 2], [64, 128, 256, 512], classes),
            "resnet50" => new ResNet(bottleneck: true, [3, 4, 6, 3], [64, 128, 256, 512], classes),
            _ => throw new TsgbInputException($"unknown architecture '{architecture}'; known: {string.Join(", ", Architectures)}"),
        };
        return new Classifier(module, architecture.ToLowerInvariant(), labels);
    }

    /// <summary>ImageNet's labels for 1000 classes, otherwise "class 0", "class 1", …</summary>
    private static LabelSet DefaultLabels(int classes) =>
        classes == 1000 ? LabelSet.ImageNet : new LabelSet(Enumerable.Range(0, classes).Select(i => $"class {i}"), $"{classes} classes");
}
