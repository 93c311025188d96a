using TorchSharp;
using TsgbKit.Models;
using static TorchSharp.torch;
using TsgbKit.Errors;

namespace TsgbKit.Demo;

/// <summary>
/// The two demo architectures, sized to train on two CPU cores in under 30 minutes on 112×112 scenes, with
/// torchvision's module names so every rule applies to them as it does to VGG16 and ResNet50.
/// </summary>
public static class SceneArchitectures
{
    /// <summary>
    /// VGG-style: five conv–ReLU–max-pool blocks (16–128 channels; receptive field 63 px, enough for the largest
    /// objects of a 112×112 scene), a three-layer classifier on the 3×3 pooled map, no BatchNorm.
    /// </summary>
    public static nn.Module<Tensor, Tensor> Vgg(int classes)
    {
        var model = new Vgg([16, 0, 32, 0, 64, 0, 128, 0, 128, 0], batchNorm: false, classes, pooledSize: 3, hidden: 256, dropout: 0.1);
        // torchvision's N(0, 0.01) linear layers shrink the signal through three layers of a net without BatchNorm
        // and stall training for thousands of steps; He initialisation keeps it at unit scale.
        using (no_grad())
            foreach (var module in model.modules())
                if (module is TorchSharp.Modules.Linear linear)
                {
                    nn.init.kaiming_normal_(linear.weight, mode: nn.init.FanInOut.FanIn, nonlinearity: nn.init.NonlinearityType.ReLU);
                    linear.bias?.zero_();
                }
        return model;
    }

    /// <summary>ResNet-style: a 7×7 stem, four stages of one basic block (24–192 channels) with BatchNorm, global average pooling, one linear layer.</summary>
    public static nn.Module<Tensor, Tensor> ResNet(int classes) =>
        new ResNet(bottleneck: false, [1, 1, 1, 1], [24, 48, 96, 192], classes);

    public static nn.Module<Tensor, Tensor> Create(string name, int classes) => name switch
    {
        "scene-vgg" => Vgg(classes),
        "scene-resnet" => ResNet(classes),
        _ => throw new TsgbInputException($"unknown demo model '{name}'; known: scene-vgg, scene-resnet"),
    };
}
