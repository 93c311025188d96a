using TsgbKit.Engine;
using TsgbKit.Errors;
using TsgbKit.Evaluation;
using TsgbKit.Methods;
using TsgbKit.Tests.Engine;
using static TorchSharp.torch;

namespace TsgbKit.Tests.Methods;

/// <summary>SmoothGrad and Integrated Gradients asked for statistics give the mean of their passes' tables.</summary>
public class WrapperStatisticsTests
{
    [Fact]
    public void SmoothGradTablesAreTheMeanOfThePerSampleTables()
    {
        using var scope = NewDisposeScope();
        var model = TestModels.SmallVgg();
        var input = TestModels.Input();
        const int samples = 3;
        using var result = new SmoothGrad(new Gradient(), samples, seed: 5).Attribute(model, input, [1L], statistics: true);

        // the noisy copies as SmoothGrad draws them (one batch of `samples` copies), each explained alone
        var flat = input.flatten(1);
        var sigma = (0.15 * (flat.amax(1) - flat.amin(1))).view(1, 1, 1, 1);
        var noise = randn([samples, 3, 32, 32], generator: new Generator(5)) * sigma;
        var perSample = Enumerable.Range(0, samples).Select(k =>
        {
            using var one = new Gradient().Attribute(model, input + noise[k].unsqueeze(0), [1L], statistics: true);
            return one.Statistics[0];
        }).ToList();

        AssertMean(perSample, Assert.Single(result.Statistics));
    }

    [Fact]
    public void IntegratedGradientsTablesAreTheMeanOverThePathPoints()
    {
        using var scope = NewDisposeScope();
        var model = TestModels.SmallResNet();
        var input = TestModels.Input(3);
        const int steps = 4;
        using var result = new IntegratedGradients(TsgbMethod.ConvOnly(), steps).Attribute(model, input, [2L], statistics: true);
        var perPoint = Enumerable.Range(0, steps).Select(k =>
        {
            using var one = TsgbMethod.ConvOnly().Attribute(model, input * ((k + 0.5f) / steps), [2L], statistics: true);
            return one.Statistics[0];
        }).ToList();
        AssertMean(perPoint, Assert.Single(result.Statistics));
    }

    [Fact]
    public void TheFluentApiShowsAWrappersTables()
    {
        using var scope = NewDisposeScope();
        var model = TestModels.SmallVgg();
        var explanation = model.Explain(TestModels.Input()).For(1).With(new SmoothGrad(new Gradient(), 2));
        Assert.NotEmpty(explanation.Statistics.Rows);
    }

    [Fact]
    public void AMethodWithoutStatisticsRefusesToRecordThem()
    {
        using var scope = NewDisposeScope();
        var model = TestModels.SmallVgg();
        var baseline = new CentreBaseline();
        Assert.False(baseline.SupportsStatistics);
        Assert.Throws<TsgbStateException>(() => baseline.Attribute(model, TestModels.Input(), [1L], statistics: true));
        var wrapped = new SmoothGrad(baseline, 2);
        Assert.False(wrapped.SupportsStatistics);
        var error = Assert.Throws<TsgbStateException>(() => wrapped.Attribute(model, TestModels.Input(), [1L], statistics: true));
        Assert.Contains("centre baseline", error.Message);
    }

    private static void AssertMean(IReadOnlyList<LayerStatistics> parts, LayerStatistics mean)
    {
        Assert.NotEmpty(mean.Rows);
        Assert.Equal(parts[0].Rows.Select(r => r.Layer), mean.Rows.Select(r => r.Layer));
        for (int i = 0; i < mean.Rows.Count; i++)
        {
            void Near(Func<LayerStatistics.Row, double> value, string column)
            {
                double expected = parts.Average(p => value(p.Rows[i])), actual = value(mean.Rows[i]);
                Assert.True(Math.Abs(expected - actual) <= 1e-4 * Math.Max(1e-3, Math.Abs(expected)),
                    $"{mean.Rows[i].Layer} {column}: {actual} vs the mean {expected}");
            }
            Near(r => r.Mean, "mean");
            Near(r => r.Std, "std");
            Near(r => r.L2Norm, "l2");
            Near(r => r.Min, "min");
            Near(r => r.Max, "max");
            Near(r => r.FractionPositive, "frac_positive");
            Near(r => r.Relevance, "relevance");
        }
    }
}
