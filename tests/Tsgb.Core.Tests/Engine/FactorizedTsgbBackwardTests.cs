using TsgbKit.Synthetic;
using TsgbKit.Demo;
using TsgbKit.Engine;
using TsgbKit.Models;
using static TorchSharp.torch;

namespace TsgbKit.Tests.Engine;

/// <summary>
/// One image, several targets, TSGB on a VGG stack: the one-channel factorized backward must give what the general
/// engine gives (it runs when statistics are requested) and what one target at a time gives.
/// </summary>
public class FactorizedTsgbBackwardTests
{
    public static TheoryData<string> Models => new() { "pooling-vgg", "scene-vgg" };

    [Theory]
    [MemberData(nameof(Models))]
    public void MatchesTheGeneralEngineAndSingleTargets(string name)
    {
        using var scope = NewDisposeScope();
        using var model = name == "scene-vgg" ? DemoModels.SceneVgg() : TestModels.PoolingVgg();
        var size = name == "scene-vgg" ? 112 : 30; // 30: an odd size (7) reaches the ceil-mode pool
        var input = name == "scene-vgg" ? TsgbKit.Synthetic.Scenes.Generate(4).ToTensor() : randn([1, 3, size, size], generator: new Generator(5));
        long[] targets = [0, 3, 1, 4];
        var rules = Tsgb.Conv.And(Tsgb.Fc);

        Assert.NotNull(FactorizedTsgbBackward.TryRun(model, input, targets, rules));
        using var fast = Backprop.Run(model, input, targets, rules);
        using var general = Backprop.Run(model, input, targets, rules, statistics: true);

        AssertClose(general.InputGradient, fast.InputGradient, $"{name}: factorized vs general engine");
        AssertClose(general.Logits, fast.Logits, $"{name}: logits");
        for (int i = 0; i < targets.Length; i++)
        {
            using var single = Backprop.Run(model, input, [targets[i]], rules);
            AssertClose(single.InputGradient[0], fast.InputGradient[i], $"{name}: target {targets[i]} alone");
        }
    }

    [Fact]
    public void ModelsOrRulesItCannotTakeGoToTheGeneralEngine()
    {
        using var scope = NewDisposeScope();
        var input = randn([1, 3, 32, 32], generator: new Generator(6));
        using var withBatchNorm = TestModels.SmallVgg();
        using var resnet = TestModels.SmallResNet();
        using var vgg = TestModels.PoolingVgg();
        Assert.Null(FactorizedTsgbBackward.TryRun(withBatchNorm, input, [0, 1], Tsgb.Conv.And(Tsgb.Fc)));
        Assert.Null(FactorizedTsgbBackward.TryRun(resnet, input, [0, 1], Tsgb.Conv.And(Tsgb.Fc)));
        Assert.Null(FactorizedTsgbBackward.TryRun(vgg, input, [0, 1], Tsgb.Conv.From("features.5").And(Tsgb.Fc)));
        Assert.Null(FactorizedTsgbBackward.TryRun(vgg, input, [0, 1], Tsgb.Guided.And(Tsgb.Conv)));
    }

    private static void AssertClose(Tensor expected, Tensor actual, string what)
    {
        Assert.Equal(expected.shape, actual.shape);
        var scale = expected.abs().max().item<float>();
        var diff = (expected - actual).abs().max().item<float>();
        Assert.True(scale > 0, $"{what}: expected map is all zero");
        Assert.True(diff <= 1e-4 * scale, $"{what}: max |diff| {diff:E3}, max |expected| {scale:E3}");
    }
}
