using TorchSharp;
using TorchSharp.Modules;
using TsgbKit.Engine;
using TsgbKit.Labels;
using TsgbKit.Models;
using static TorchSharp.torch;

namespace TsgbKit.Tests.Rules;

/// <summary>Selectors work in forward order: the order of first calls, whatever the order of registration.</summary>
public class ForwardOrderTests
{
    private static List<string> Order(nn.Module model, int size = 32) =>
        AttributionScope.Layers(model, zeros(1, 3, size, size)).Select(l => l.Name).ToList();

    private static List<string> Block(string prefix, bool downsample) =>
        new[] { "conv1", "bn1", "relu", "conv2", "bn2" }.Concat(downsample ? ["downsample.0", "downsample.1"] : [])
            .Select(l => $"{prefix}.{l}").ToList();

    private static List<string> Bottleneck(string prefix, bool downsample) =>
        new[] { "conv1", "bn1", "relu", "conv2", "bn2", "conv3", "bn3" }.Concat(downsample ? ["downsample.0", "downsample.1"] : [])
            .Select(l => $"{prefix}.{l}").ToList();

    [Theory]
    [InlineData("vgg16", false)]
    [InlineData("vgg16_bn", true)]
    public void VggRunsFeaturesThenAvgPoolThenClassifier(string architecture, bool batchNorm)
    {
        using var model = Zoo.Create(architecture, numClasses: 5);
        int perConv = batchNorm ? 3 : 2;      // conv, (bn,) relu
        int features = 13 * perConv + 5;      // 13 convolutions, 5 max-pools
        var expected = Enumerable.Range(0, features).Select(i => $"features.{i}").Append("avgpool")
            .Concat(Enumerable.Range(0, 7).Select(i => $"classifier.{i}")).ToList();
        Assert.Equal(expected, Order(model.Module));
    }

    [Fact]
    public void ResNet18RunsTheStemTheStagesThenTheHead()
    {
        using var model = Zoo.Create("resnet18", numClasses: 5);
        var expected = new List<string> { "conv1", "bn1", "relu", "maxpool" };
        for (int s = 1; s <= 4; s++)
            for (int b = 0; b < 2; b++)
                expected.AddRange(Block($"layer{s}.{b}", downsample: s > 1 && b == 0));
        expected.AddRange(["avgpool", "fc"]);
        Assert.Equal(expected, Order(model.Module));
    }

    [Fact]
    public void ResNet50RunsTheStemTheStagesThenTheHead()
    {
        using var model = Zoo.Create("resnet50", numClasses: 5);
        var expected = new List<string> { "conv1", "bn1", "relu", "maxpool" };
        int[] blocks = [3, 4, 6, 3];
        for (int s = 1; s <= 4; s++)
            for (int b = 0; b < blocks[s - 1]; b++)
                expected.AddRange(Bottleneck($"layer{s}.{b}", downsample: b == 0));
        expected.AddRange(["avgpool", "fc"]);
        Assert.Equal(expected, Order(model.Module));
    }

    [Fact]
    public void ACustomForwardIsFollowedNotTheRegistration()
    {
        using var model = new Shuffled();
        // unused never runs: it comes last
        Assert.Equal(["block.first", "relu", "block.second", "pool", "head", "unused"], Order(model, 8));
        // the premise: registration puts head first
        Assert.Equal("head", AttributionScope.Layers(model)[0].Name);
    }

    [Fact]
    public void ContainersAndLeavesSelectInTheCustomForwardOrder()
    {
        var model = new Classifier(new Shuffled(), "shuffled", new LabelSet(["a", "b"]));
        // Until(block) ends at block's last leaf in forward order (second), which runs after relu
        Assert.Equal(new SortedSet<string>(["block.first", "block.second"], StringComparer.Ordinal),
            RuleMap.Ruled(model, Tsgb.Conv.Until("block"), size: 8));
        Assert.Equal(new SortedSet<string>(["block.second", "head"], StringComparer.Ordinal),
            RuleMap.Ruled(model, Tsgb.Conv.And(Tsgb.Fc).From("relu"), size: 8));
        Assert.Equal(RuleMap.Of(model, Tsgb.Guided.Only("relu"), size: 8), RuleMap.Of(model, Tsgb.Guided.From("block.first").Until("block.second"), size: 8));
    }

    [Fact]
    public void TheRecordingPassLeavesTrainingModeAndNoHooks()
    {
        using var model = new Shuffled();
        model.train();
        var input = randn(2, 3, 8, 8);
        var before = model.call(input).detach();
        Order(model, 8);
        Assert.True(model.training);
        Assert.True(allclose(before, model.call(input).detach(), rtol: 0, atol: 0));
    }

    [Fact]
    public void TheOrderIsRecordedOncePerModelAndInputShape()
    {
        var shuffled = new Shuffled();
        var model = new Classifier(shuffled, "shuffled", new LabelSet(["a", "b"]));
        RuleMap.Of(model, Tsgb.Conv.From("relu"), size: 8);
        RuleMap.Of(model, Tsgb.Conv.Until("block"), size: 8);
        Assert.Equal(3, shuffled.Calls);    // one recording pass, then one pass per attribution
        RuleMap.Of(model, Tsgb.Conv.From("relu"), size: 12);
        Assert.Equal(5, shuffled.Calls);    // a new input shape is recorded again
    }

    /// <summary>Registers head first and block's second before its first; calls first, relu, second, pool, head.</summary>
    private sealed class Shuffled : nn.Module<Tensor, Tensor>
    {
        private readonly Linear head = nn.Linear(4, 2);
        private readonly Sequential block = nn.Sequential(("second", nn.Conv2d(4, 4, 3, padding: 1)), ("first", nn.Conv2d(3, 4, 3, padding: 1)));
        private readonly AdaptiveAvgPool2d pool = nn.AdaptiveAvgPool2d(1);
        private readonly ReLU relu = nn.ReLU();
        private readonly Identity unused = nn.Identity();

        public Shuffled() : base("Shuffled") => RegisterComponents();

        public int Calls { get; private set; }

        public override Tensor forward(Tensor x)
        {
            Calls++;
            var second = (nn.Module<Tensor, Tensor>)block[0];
            var first = (nn.Module<Tensor, Tensor>)block[1];
            return head.call(pool.call(second.call(relu.call(first.call(x)))).flatten(1));
        }
    }
}
