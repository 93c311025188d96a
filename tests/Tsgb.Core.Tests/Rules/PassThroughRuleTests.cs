using TorchSharp;
using TsgbKit.Rules;
using static TorchSharp.torch;

namespace TsgbKit.Tests.Rules;

/// <summary>The BatchNorm, AvgPool and ReLU rules on values small enough to check by hand.</summary>
public class PassThroughRuleTests
{
    [Fact]
    public void BatchNormPassesGTimesYOverX()
    {
        using var scope = NewDisposeScope();
        var bn = nn.BatchNorm2d(1);
        var x = tensor(new float[] { 2, -4, 1, 0.5f }, [1, 1, 2, 2]);
        var y = tensor(new float[] { 1, 3, -2, 4 }, [1, 1, 2, 2]);
        var g = tensor(new float[] { 1, 2, 3, 4 }, [1, 1, 2, 2]);
        var gx = new TsgbBatchNormRule().Backward(bn, x, y, g).data<float>().ToArray();
        Assert.Equal(new[] { 0.5f, -1.5f, -6f, 32f }, gx, new FloatComparer(1e-5f));
    }

    [Fact]
    public void AvgPoolSpreadsGTimesYThenDividesByX()
    {
        using var scope = NewDisposeScope();
        var pool = nn.AvgPool2d(2, 2);
        var x = tensor(new float[] { 1, 2, 4, 8 }, [1, 1, 2, 2]);
        var y = pool.forward(x);                      // 3.75
        var g = tensor(new float[] { 2 }, [1, 1, 1, 1]);
        var gx = new TsgbAvgPoolRule().Backward(pool, x, y, g).data<float>().ToArray();
        // avgpool backward of g·y = 7.5 gives 7.5/4 at each input, divided by x
        Assert.Equal(new[] { 1.875f, 0.9375f, 0.46875f, 0.234375f }, gx, new FloatComparer(1e-5f));
    }

    [Fact]
    public void GuidedAndDeconvReluDifferWhereTheInputIsNegative()
    {
        using var scope = NewDisposeScope();
        var relu = nn.ReLU();
        var x = tensor(new float[] { 1, -1, 2, -2 });
        var y = relu.forward(x);
        var g = tensor(new float[] { 3, 3, -3, -3 });
        Assert.Equal(new[] { 3f, 0f, 0f, 0f }, new GuidedReluRule().Backward(relu, x, y, g).data<float>().ToArray());
        Assert.Equal(new[] { 3f, 3f, 0f, 0f }, new DeconvReluRule().Backward(relu, x, y, g).data<float>().ToArray());
    }
}
