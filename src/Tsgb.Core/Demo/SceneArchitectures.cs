using TorchSharp;
using TsgbKit.Models;
using static TorchSharp.torch;

namespace TsgbKit.Demo;

/// <summary>
/// The two demo architectures, sized to train on two CPU cores in under 30 minutes on 112×112 scenes, with
/// torchvision's module names so every rule applies to them as it does to VGG16 and ResNet50.
/// </summary>
public static class SceneArchitectures
{
    /// <summary>VGG-style: four conv–ReLU–max-pool blocks (16, 32, 64, 128 channels), a three-layer classifier, no BatchNorm.</summary>
    public static nn.Module<Tensor, Tensor> Vgg(int classes) =>
        new Vgg([16, 0, 32, 0, 64, 0, 128, 0], batchNorm: false, classes, pooledSize: 7, hidden: 256, dropout: 0.3);

    /// <summary>ResNet-style: a 7×7 stem, four stages of one basic block (24–192 channels) with BatchNorm, global average pooling, one linear layer.</summary>
    public static nn.Module<Tensor, Tensor> ResNet(int classes) =>
        new ResNet(bottleneck: false, [1, 1, 1, 1], [24, 48, 96, 192], classes);

    public static nn.Module<Tensor, Tensor> Create(string name, int classes) => name switch
    {
        "scene-vgg" => Vgg(classes),
        "scene-resnet" => ResNet(classes),
        _ => throw new ArgumentException($"unknown demo model '{name}'; known: scene-vgg, scene-resnet"),
    };
}
