using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace TsgbKit.Models;

/// <summary>
/// ResNet with torchvision's names (conv1, bn1, relu, maxpool, layer1..N, avgpool, fc). Residual additions and
/// ReLUs are out of place so that a rule's saved output is never overwritten.
/// </summary>
public sealed class ResNet : nn.Module<Tensor, Tensor>
{
    private readonly Conv2d conv1;
    private readonly BatchNorm2d bn1;
    private readonly ReLU relu;
    private readonly MaxPool2d maxpool;
    // registered as layer1..layerN by hand: torchvision's names, not a ModuleList's stages.0..N
    private readonly List<nn.Module<Tensor, Tensor>> stages = new();
    private readonly AdaptiveAvgPool2d avgpool;
    private readonly Linear fc;

    /// <param name="bottleneck">Bottleneck blocks (ResNet50) instead of basic blocks (ResNet18)</param>
    /// <param name="blocks">blocks per stage, e.g. [2,2,2,2] for ResNet18, [3,4,6,3] for ResNet50</param>
    /// <param name="widths">planes per stage (64,128,256,512 in torchvision)</param>
    /// <param name="stemKernel">kernel of conv1 (7 in torchvision, stride 2, padding 3)</param>
    public ResNet(bool bottleneck, int[] blocks, int[] widths, int numClasses, int stemKernel = 7)
        : base(bottleneck ? "ResNet-Bottleneck" : "ResNet-Basic")
    {
        int expansion = bottleneck ? 4 : 1;
        long inplanes = widths[0];
        conv1 = nn.Conv2d(3, inplanes, stemKernel, stride: 2, padding: stemKernel / 2, bias: false);
        bn1 = nn.BatchNorm2d(inplanes);
        relu = nn.ReLU();
        maxpool = nn.MaxPool2d(3, 2, 1);
        for (int s = 0; s < blocks.Length; s++)
        {
            var layer = new List<(string, nn.Module<Tensor, Tensor>)>();
            for (int b = 0; b < blocks[s]; b++)
            {
                long stride = s > 0 && b == 0 ? 2 : 1;
                layer.Add((b.ToString(), bottleneck
                    ? new Bottleneck(inplanes, widths[s], stride)
                    : new BasicBlock(inplanes, widths[s], stride)));
                inplanes = widths[s] * expansion;
            }
            stages.Add(nn.Sequential(layer));
        }
        avgpool = nn.AdaptiveAvgPool2d(new long[] { 1, 1 });
        fc = nn.Linear(inplanes, numClasses);
        RegisterComponents();
        for (int s = 0; s < stages.Count; s++) register_module($"layer{s + 1}", stages[s]);
        ModelInit.TorchvisionStyle(this);
    }

    public override Tensor forward(Tensor x)
    {
        using var scope = NewDisposeScope();
        var h = maxpool.call(relu.call(bn1.call(conv1.call(x))));
        foreach (var stage in stages) h = stage.call(h);
        h = avgpool.call(h).flatten(1);
        return fc.call(h).MoveToOuterDisposeScope();
    }
}

/// <summary>torchvision's BasicBlock: two 3×3 convolutions and a shortcut.</summary>
public sealed class BasicBlock : nn.Module<Tensor, Tensor>
{
    private readonly Conv2d conv1, conv2;
    private readonly BatchNorm2d bn1, bn2;
    private readonly ReLU relu;
    private readonly Sequential? downsample;

    public BasicBlock(long inplanes, long planes, long stride) : base("BasicBlock")
    {
        conv1 = nn.Conv2d(inplanes, planes, 3, stride: stride, padding: 1, bias: false);
        bn1 = nn.BatchNorm2d(planes);
        relu = nn.ReLU();
        conv2 = nn.Conv2d(planes, planes, 3, padding: 1, bias: false);
        bn2 = nn.BatchNorm2d(planes);
        if (stride != 1 || inplanes != planes)
            downsample = nn.Sequential(("0", nn.Conv2d(inplanes, planes, 1, stride: stride, bias: false)), ("1", nn.BatchNorm2d(planes)));
        RegisterComponents();
    }

    public override Tensor forward(Tensor x)
    {
        using var scope = NewDisposeScope();
        var h = relu.call(bn1.call(conv1.call(x)));
        h = bn2.call(conv2.call(h));
        var identity = downsample is null ? x : downsample.call(x);
        return relu.call(h + identity).MoveToOuterDisposeScope();
    }
}

/// <summary>torchvision's Bottleneck (ResNet v1.5: the stride sits on the 3×3 convolution).</summary>
public sealed class Bottleneck : nn.Module<Tensor, Tensor>
{
    private readonly Conv2d conv1, conv2, conv3;
    private readonly BatchNorm2d bn1, bn2, bn3;
    private readonly ReLU relu;
    private readonly Sequential? downsample;

    public Bottleneck(long inplanes, long planes, long stride) : base("Bottleneck")
    {
        conv1 = nn.Conv2d(inplanes, planes, 1, bias: false);
        bn1 = nn.BatchNorm2d(planes);
        conv2 = nn.Conv2d(planes, planes, 3, stride: stride, padding: 1, bias: false);
        bn2 = nn.BatchNorm2d(planes);
        conv3 = nn.Conv2d(planes, planes * 4, 1, bias: false);
        bn3 = nn.BatchNorm2d(planes * 4);
        relu = nn.ReLU();
        if (stride != 1 || inplanes != planes * 4)
            downsample = nn.Sequential(("0", nn.Conv2d(inplanes, planes * 4, 1, stride: stride, bias: false)), ("1", nn.BatchNorm2d(planes * 4)));
        RegisterComponents();
    }

    public override Tensor forward(Tensor x)
    {
        using var scope = NewDisposeScope();
        var h = relu.call(bn1.call(conv1.call(x)));
        h = relu.call(bn2.call(conv2.call(h)));
        h = bn3.call(conv3.call(h));
        var identity = downsample is null ? x : downsample.call(x);
        return relu.call(h + identity).MoveToOuterDisposeScope();
    }
}
