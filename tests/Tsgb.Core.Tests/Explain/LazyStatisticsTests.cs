using TsgbKit.Engine;
using TsgbKit.Methods;
using TsgbKit.Models;
using TsgbKit.Tests.Engine;
using static TorchSharp.torch;

namespace TsgbKit.Tests.Explain;

/// <summary>
/// The fluent call records no statistics; the first read of <c>Statistics</c> runs the method once more with them
/// (one run for a whole set) and must give exactly what an eager <c>Attribute(…, statistics: true)</c> gives.
/// </summary>
public class LazyStatisticsTests
{
    /// <summary>A method defined outside the library: TSGB, with every call's statistics flag written down.</summary>
    private sealed class RecordingMethod : SaliencyMethod
    {
        private readonly TsgbMethod _tsgb = new();
        public List<bool> Calls { get; } = new();
        public override string Name => "recording-tsgb";
        public override string Description => "TSGB, recording its calls";

        public override AttributionResult Attribute(Classifier model, Tensor inputs, long[] targets, bool statistics = false)
        {
            Calls.Add(statistics);
            return _tsgb.Attribute(model, inputs, targets, statistics);
        }
    }

    [Fact]
    public void TheCallRecordsNothingAndTheFirstReadRunsOnePassForTheWholeSet()
    {
        using var scope = NewDisposeScope();
        using var model = TestModels.SmallVgg();
        var input = TestModels.Input();
        var method = new RecordingMethod();

        var set = model.Explain(input).For(1, 3).With(method);
        Assert.Equal(new[] { false }, method.Calls);

        var first = set[0].Statistics;
        Assert.Equal(new[] { false, true }, method.Calls);
        var second = set[1].Statistics;
        Assert.Equal(set[0].LayerStats.Rows.Count, first.Rows.Count);
        Assert.Same(first, set[0].Statistics);
        Assert.Equal(new[] { false, true }, method.Calls); // cached: neither the other target nor a second read runs again

        using var eager = new TsgbMethod().Attribute(model, input, [1L, 3L], statistics: true);
        Assert.Equal(eager.Statistics[0].Rows, first.Rows);
        Assert.Equal(eager.Statistics[1].Rows, second.Rows);
    }

    [Fact]
    public void OnAVggStackTheCallTakesTheSharedBackwardAndTheTablesMatchAnEagerRun()
    {
        using var scope = NewDisposeScope();
        using var model = TestModels.PoolingVgg();
        var input = randn([1, 3, 30, 30], generator: new Generator(5));
        var rules = Tsgb.Conv.And(Tsgb.Fc);
        int factorized = PassCounters.Factorized, recorded = PassCounters.WithStatistics;

        var set = model.Explain(input).For(0, 3, 1).With(rules);
        Assert.Equal(factorized + 1, PassCounters.Factorized);
        Assert.Equal(recorded, PassCounters.WithStatistics);

        var tables = set.Select(e => e.Statistics).ToList();
        Assert.Equal(recorded + 1, PassCounters.WithStatistics);
        Assert.Equal(factorized + 1, PassCounters.Factorized);

        using var eager = new TsgbMethod(rules).Attribute(model, input, [0L, 3L, 1L], statistics: true);
        for (int i = 0; i < 3; i++)
        {
            Assert.NotEmpty(tables[i].Rows);
            Assert.Equal(eager.Statistics[i].Rows, tables[i].Rows);
        }
        using var maps = new TsgbMethod(rules).Attribute(model, input, [0L, 3L, 1L]);
        for (int i = 0; i < 3; i++) Assert.Equal(maps.Maps[i].data<float>().ToArray(), set[i].Map);
    }

    [Fact]
    public void OneTargetOnTheGeneralEngineRecordsNothingUntilRead()
    {
        using var scope = NewDisposeScope();
        using var model = TestModels.SmallResNet();
        var input = TestModels.Input();
        int recorded = PassCounters.WithStatistics;

        var explanation = model.Explain(input).For("bird").With(new GradCam());
        Assert.Equal(recorded, PassCounters.WithStatistics);

        var rows = explanation.Statistics.Rows;
        Assert.Equal(recorded + 1, PassCounters.WithStatistics);
        using var eager = new GradCam().Attribute(model, input, [2L], statistics: true);
        Assert.NotEmpty(rows);
        Assert.Equal(eager.Statistics[0].Rows, rows);
    }

    [Fact]
    public void MethodsThatRecordNoStatisticsAreNotRunAgain()
    {
        using var scope = NewDisposeScope();
        using var model = TestModels.SmallVgg();
        var gradient = new CountedGradient(supportsStatistics: false);
        var explanation = model.Explain(TestModels.Input()).For(2).With(new SmoothGrad(gradient, samples: 2));
        int calls = gradient.Calls;
        Assert.Empty(explanation.Statistics.Rows);
        Assert.Equal(calls, gradient.Calls);
    }

    [Fact]
    public void AWrappersStatisticsAreRecordedWhenFirstRead()
    {
        using var scope = NewDisposeScope();
        using var model = TestModels.SmallVgg();
        var gradient = new CountedGradient(supportsStatistics: true);
        var explanation = model.Explain(TestModels.Input()).For(2).With(new SmoothGrad(gradient, samples: 2));
        int calls = gradient.Calls;
        Assert.NotEmpty(explanation.Statistics.Rows);
        Assert.True(gradient.Calls > calls, "the noisy copies run again, recording");
    }

    /// <summary>The plain gradient, counting its calls.</summary>
    private sealed class CountedGradient(bool supportsStatistics) : SaliencyMethod
    {
        private readonly Gradient _gradient = new();
        public int Calls { get; private set; }
        public override string Name => "gradient";
        public override string Description => "gradient, counted";
        public override bool SupportsStatistics => supportsStatistics;

        public override AttributionResult Attribute(Classifier model, Tensor inputs, long[] targets, bool statistics = false)
        {
            Calls++;
            return _gradient.Attribute(model, inputs, targets, statistics);
        }
    }
}
