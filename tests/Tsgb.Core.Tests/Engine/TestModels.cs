using TorchSharp;
using TsgbKit.Labels;
using TsgbKit.Models;
using static TorchSharp.torch;

namespace TsgbKit.Tests.Engine;

/// <summary>Small random-weight classifiers for engine tests (32×32 inputs, 5 classes).</summary>
internal static class TestModels
{
    public static Classifier SmallVgg(bool inPlaceRelu = false, int seed = 11)
    {
        var features = nn.Sequential(
            ("0", nn.Conv2d(3, 8, 3, padding: 1)), ("1", nn.BatchNorm2d(8)), ("2", nn.ReLU(inPlaceRelu)), ("3", nn.MaxPool2d(2, 2)),
            ("4", nn.Conv2d(8, 16, 3, padding: 1)), ("5", nn.BatchNorm2d(16)), ("6", nn.ReLU(inPlaceRelu)), ("7", nn.AvgPool2d(2, 2)),
            ("8", nn.Conv2d(16, 16, 3, stride: 2, padding: 1)), ("9", nn.BatchNorm2d(16)), ("10", nn.ReLU(inPlaceRelu)));
        var module = new Vgg(features, 16, numClasses: 5, pooledSize: 2, hidden: 32);
        Randomize(module, seed);
        return new Classifier(module, "small-vgg", new LabelSet(["cat", "dog", "bird", "fish", "frog"]));
    }

    /// <summary>
    /// A VGG without BatchNorm whose features mix every pattern the factorized TSGB backward handles (30×30 input):
    /// conv–ReLU–conv, an overlapping padded max-pool after a ReLU, a max-pool straight after a convolution (signed
    /// values) followed by a convolution, a ceil-mode pool on an odd size followed by a convolution, and a pool before
    /// its ReLU.
    /// </summary>
    public static Classifier PoolingVgg(int seed = 13)
    {
        var features = nn.Sequential(
            ("0", nn.Conv2d(3, 8, 3, padding: 1)), ("1", nn.ReLU()), ("2", nn.Conv2d(8, 8, 3, padding: 1)), ("3", nn.ReLU()),
            ("4", nn.MaxPool2d(3, 2, 1)),                                                         // 30 → 15, overlapping
            ("5", nn.Conv2d(8, 12, 3, padding: 1)), ("6", nn.MaxPool2d(2, 2)),                    // conv → pool, 15 → 7
            ("7", nn.Conv2d(12, 12, 3, padding: 1)), ("8", nn.ReLU()), ("9", nn.MaxPool2d(2, 2, ceil_mode: true)), // 7 → 4
            ("10", nn.Conv2d(12, 16, 3, padding: 1)), ("11", nn.MaxPool2d(2, 2)), ("12", nn.ReLU()), // pool → ReLU, 4 → 2
            ("13", nn.Conv2d(16, 16, 3, padding: 1)), ("14", nn.ReLU()));
        var module = new Vgg(features, 16, numClasses: 5, pooledSize: 2, hidden: 32);
        Randomize(module, seed);
        return new Classifier(module, "pooling-vgg", new LabelSet(["cat", "dog", "bird", "fish", "frog"]));
    }

    public static Classifier SmallResNet(int seed = 12)
    {
        var module = new ResNet(bottleneck: false, [1, 1], [8, 16], numClasses: 5, stemKernel: 3);
        Randomize(module, seed);
        return new Classifier(module, "small-resnet", new LabelSet(["cat", "dog", "bird", "fish", "frog"]));
    }

    /// <summary>
    /// Every parameter and BatchNorm statistic drawn from a private generator (tests run in parallel and share the
    /// global one), non-trivial so that every rule has something to do.
    /// </summary>
    private static void Randomize(nn.Module module, int seed)
    {
        var generator = new Generator((ulong)seed);
        using var _ = no_grad();
        foreach (var (name, buffer) in module.named_buffers())
        {
            if (name.EndsWith("running_mean")) buffer.copy_(randn(buffer.shape, generator: generator) * 0.1);
            if (name.EndsWith("running_var")) buffer.copy_(rand(buffer.shape, generator: generator) + 0.5);
        }
        foreach (var (name, p) in module.named_parameters())
        {
            bool batchNorm = module.named_modules().Any(m => m.module is TorchSharp.Modules.BatchNorm2d && name.StartsWith(m.name + "."));
            if (batchNorm && name.EndsWith("weight")) p.copy_(rand(p.shape, generator: generator) + 0.5);
            else if (p.dim() == 1) p.copy_(randn(p.shape, generator: generator) * 0.1);
            else p.copy_(randn(p.shape, generator: generator) * Math.Sqrt(2.0 / (p.numel() / p.shape[0])));
        }
    }

    public static Tensor Input(int seed = 1) => randn([1, 3, 32, 32], generator: new Generator((ulong)seed));
}
