using TsgbKit.Models;
using TsgbKit.Rules;

namespace TsgbKit.Tests.Rules;

/// <summary>
/// From / Until / Only / Without on containers and leaves, composed with And, in the model's forward order; each
/// result is compared with the rules a hand-written list of layers gives.
/// </summary>
public class LayerSelectorTests
{
    private static readonly Lazy<Classifier> ResNet18 = new(() => Zoo.Create("resnet18", numClasses: 5));
    private static readonly Lazy<Classifier> Vgg16 = new(() => Zoo.Create("vgg16", numClasses: 5));

    [Fact]
    public void FromAContainerKeepsTheRulesAfterItTsgbFcIncluded()
    {
        // registration order puts fc before layer1: From("layer3") used to drop TSGB-FC
        var map = RuleMap.Of(ResNet18.Value, Tsgb.Conv.And(Tsgb.Fc).From("layer3"));
        Assert.Equal("tsgb-fc", map["fc"]);
        Assert.Equal("tsgb-conv", map["layer3.0.conv1"]);
        Assert.Equal("tsgb-conv", map["layer4.1.conv2"]);
        Assert.Equal("gradient", map["layer2.1.conv2"]);
        Assert.Equal("gradient", map["conv1"]);
    }

    [Fact]
    public void UntilAnEarlyContainerLeavesTheClassifierAlone()
    {
        // fc runs last: Until("layer1") used to reach it because it was registered before layer1
        Assert.Empty(RuleMap.Ruled(ResNet18.Value, Tsgb.Fc.Until("layer1")));
    }

    [Fact]
    public void UntilAContainerEndsAtItsLastLeaf()
    {
        // a container used to stand for its first leaf in both directions: Until("layer1") stopped at layer1.0.conv1
        var map = RuleMap.Of(ResNet18.Value, Tsgb.Conv.Until("layer1"));
        Assert.Equal("tsgb-conv", map["layer1.1.conv2"]);
        Assert.NotEqual("gradient", map["layer1.1.bn2"]);
        Assert.Equal("gradient", map["layer2.0.conv1"]);
    }

    [Fact]
    public void UntilVggAvgPoolCoversTheFeatures()
    {
        // VGG registers avgpool first: Until("avgpool") used to select nothing
        var ruled = RuleMap.Ruled(Vgg16.Value, Tsgb.Conv.Until("avgpool"));
        Assert.Contains("features.0", ruled);
        Assert.Contains("features.28", ruled);
    }

    [Fact]
    public void FromAndUntilOnContainersEqualTheHandWrittenLayers()
    {
        var model = ResNet18.Value;
        var hand = new List<string>();
        foreach (var block in new[] { "layer2.0", "layer2.1", "layer3.0" })
            hand.AddRange(new[] { "conv1", "bn1", "conv2", "bn2" }.Select(l => $"{block}.{l}"));
        hand.AddRange(["layer2.0.downsample.0", "layer2.0.downsample.1", "layer3.0.downsample.0", "layer3.0.downsample.1"]);

        var ranged = RuleMap.Of(model, Tsgb.Conv.From("layer2").Until("layer3.0"));
        var listed = RuleMap.Of(model, Tsgb.Conv.Only(hand.ToArray()));
        Assert.Equal(listed, ranged);
        Assert.Equal(hand.ToHashSet(), ranged.Where(p => p.Value != "gradient").Select(p => p.Key).ToHashSet());
    }

    [Fact]
    public void LeavesComposedWithAndEqualTheHandWrittenLayers()
    {
        var model = ResNet18.Value;
        // From a leaf to a leaf for the convolutions, TSGB-FC everywhere (it only applies to fc)
        var composed = RuleMap.Of(model, Tsgb.Conv.From("layer4.0.bn2").Until("layer4.1.conv2").And(Tsgb.Fc));
        var listed = RuleMap.Of(model, Tsgb.Conv.Only("layer4.0.bn2", "layer4.0.downsample.0", "layer4.0.downsample.1", "layer4.1.conv1",
            "layer4.1.bn1", "layer4.1.conv2").And(Tsgb.Fc));
        Assert.Equal(listed, composed);
        Assert.Equal("tsgb-fc", composed["fc"]);
    }

    [Fact]
    public void WithoutDropsOneRuleKindInsideARange()
    {
        var model = ResNet18.Value;
        var ranged = RuleMap.Ruled(model, Tsgb.Conv.And(Tsgb.Fc).Without<TsgbBatchNormRule>().From("layer4.1"));
        Assert.Equal(new SortedSet<string>(["fc", "layer4.1.conv1", "layer4.1.conv2"], StringComparer.Ordinal), ranged);
    }

    [Fact]
    public void OnlyAContainerNameMatchesNoLeaf()
    {
        // Only names exact layers; a container is not a leaf (unchanged behaviour, pinned here)
        Assert.Empty(RuleMap.Ruled(ResNet18.Value, Tsgb.Conv.Only("layer1")));
    }
}
