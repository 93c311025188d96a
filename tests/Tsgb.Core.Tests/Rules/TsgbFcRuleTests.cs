using TorchSharp;
using TorchSharp.Modules;
using TsgbKit.Rules;
using static TorchSharp.torch;

namespace TsgbKit.Tests.Rules;

/// <summary>TSGB-FC on a 3→2 layer, computed by hand.</summary>
public class TsgbFcRuleTests
{
    private static Linear Layer(float[] weights)
    {
        var linear = nn.Linear(3, 2);
        using (no_grad())
        {
            linear.weight!.copy_(tensor(weights, [2, 3]));
            linear.bias!.fill_(0.5f);
        }
        return linear;
    }

    [Fact]
    public void RescalesNegativeWeightsByBeta()
    {
        using var scope = NewDisposeScope();
        // unit 0: W = [2, -1, -3], x = [1, 2, 1]: z⁺ = 2, z⁻ = -5, β = m·2/5
        var linear = Layer([2, -1, -3, 1, 1, 1]);
        var x = tensor(new float[] { 1, 2, 1 }, [1, 3]);
        var y = linear.forward(x);
        var g = tensor(new float[] { 1, 0 }, [1, 2]);

        var gx = new TsgbFcRule(0.8).Backward(linear, x, y, g).data<float>().ToArray();
        float beta = 0.8f * 2f / 5f;
        Assert.Equal(new[] { 2f, -1f * beta, -3f * beta }, gx, new FloatComparer(1e-5f));
    }

    [Fact]
    public void BetaIsZeroWhereNoNegativeEvidenceArrives()
    {
        using var scope = NewDisposeScope();
        // unit 1 has only positive weights: z⁻ = 0, so its negative part (none) gets β = 0 and nothing is NaN
        var linear = Layer([2, -1, -3, 1, 1, 1]);
        var x = tensor(new float[] { 1, 2, 1 }, [1, 3]);
        var y = linear.forward(x);
        var g = tensor(new float[] { 0, 1 }, [1, 2]);

        var gx = new TsgbFcRule().Backward(linear, x, y, g).data<float>().ToArray();
        Assert.Equal(new[] { 1f, 1f, 1f }, gx, new FloatComparer(1e-6f));
    }

    [Fact]
    public void WithMultiplierOneThePositiveAndNegativeContributionsCancel()
    {
        using var scope = NewDisposeScope();
        // Σ x ⊙ g_x = z⁺ + β z⁻ = z⁺ − m z⁺ = 0 for m = 1 (a single target unit)
        var linear = Layer([2, -1, -3, 1, -1, 1]);
        var x = tensor(new float[] { 1, 2, 1 }, [1, 3]);
        var gx = new TsgbFcRule().Backward(linear, x, linear.forward(x), tensor(new float[] { 1, 0 }, [1, 2]));
        Assert.Equal(0f, (x * gx).sum().item<float>(), 5);
    }
}

internal sealed class FloatComparer(float tolerance) : IEqualityComparer<float>
{
    public bool Equals(float a, float b) => Math.Abs(a - b) <= tolerance * Math.Max(1, Math.Max(Math.Abs(a), Math.Abs(b)));
    public int GetHashCode(float value) => 0;
}
