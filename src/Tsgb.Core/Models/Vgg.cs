using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace TsgbKit.Models;

/// <summary>
/// VGG with torchvision's module and parameter names (features.N, avgpool, classifier.N), so a torchvision
/// state_dict saved as safetensors loads one-to-one. ReLUs are out of place, as every model of the zoo.
/// </summary>
public sealed class Vgg : nn.Module<Tensor, Tensor>
{
    /// <summary>torchvision's configuration "D" (VGG16): channel counts, 0 = max-pool.</summary>
    public static readonly int[] Vgg16Layers = [64, 64, 0, 128, 128, 0, 256, 256, 256, 0, 512, 512, 512, 0, 512, 512, 512, 0];

    private readonly Sequential features;
    private readonly AdaptiveAvgPool2d avgpool;
    private readonly Sequential classifier;

    internal Sequential FeatureStack => features;
    internal AdaptiveAvgPool2d AvgPool => avgpool;
    internal Sequential Classifier => classifier;

    /// <param name="layers">channel counts of the 3×3 convolutions, 0 for a 2×2 max-pool</param>
    /// <param name="batchNorm">a BatchNorm2d after every convolution (VGG16-BN)</param>
    /// <param name="pooledSize">output side of the adaptive average pool (7 in torchvision)</param>
    /// <param name="hidden">width of the two hidden fully-connected layers (4096 in torchvision)</param>
    public Vgg(int[] layers, bool batchNorm, int numClasses, int pooledSize = 7, int hidden = 4096, double dropout = 0.5)
        : this(Features(layers, batchNorm, out var channels), channels, numClasses, pooledSize, hidden, dropout)
    {
        ModelInit.TorchvisionStyle(this);
    }

    /// <summary>A VGG-like net around any feature extractor (used for small test nets with other layer types).</summary>
    /// <param name="featureChannels">channels of the feature extractor's output</param>
    public Vgg(Sequential features, long featureChannels, int numClasses, int pooledSize = 7, int hidden = 4096, double dropout = 0.5)
        : base("VGG")
    {
        this.features = features;
        avgpool = nn.AdaptiveAvgPool2d(new long[] { pooledSize, pooledSize });
        classifier = nn.Sequential(
            ("0", nn.Linear(featureChannels * pooledSize * pooledSize, hidden)),
            ("1", nn.ReLU()),
            ("2", nn.Dropout(dropout)),
            ("3", nn.Linear(hidden, hidden)),
            ("4", nn.ReLU()),
            ("5", nn.Dropout(dropout)),
            ("6", nn.Linear(hidden, numClasses)));
        RegisterComponents();
    }

    /// <summary>3×3 convolutions (padding 1), each followed by an optional BatchNorm2d and a ReLU; 0 = 2×2 max-pool.</summary>
    private static Sequential Features(int[] layers, bool batchNorm, out long channels)
    {
        var items = new List<(string, nn.Module<Tensor, Tensor>)>();
        channels = 3;
        foreach (var width in layers)
        {
            if (width == 0) { items.Add((items.Count.ToString(), nn.MaxPool2d(2, 2))); continue; }
            items.Add((items.Count.ToString(), nn.Conv2d(channels, width, 3, padding: 1)));
            if (batchNorm) items.Add((items.Count.ToString(), nn.BatchNorm2d(width)));
            items.Add((items.Count.ToString(), nn.ReLU()));
            channels = width;
        }
        return nn.Sequential(items);
    }

    public override Tensor forward(Tensor x)
    {
        using var scope = NewDisposeScope();
        var h = features.call(x);
        h = avgpool.call(h);
        h = h.flatten(1);
        return classifier.call(h).MoveToOuterDisposeScope();
    }
}
