using TorchSharp;
using static TorchSharp.torch;

namespace TsgbKit.Tests.Engine;

/// <summary>Runs alone: the count of live native tensors is global to the process.</summary>
[CollectionDefinition(nameof(MemoryTests), DisableParallelization = true)]
public sealed class MemoryTestsCollection;

[Collection(nameof(MemoryTests))]
public class MemoryTests
{
    [Fact]
    public void TwoHundredExplanationsLeaveNoNativeTensorsBehind()
    {
        var model = TestModels.SmallResNet();
        using var input = TestModels.Input();
        for (int i = 0; i < 5; i++) model.Explain(input).For(i % 5).With(Tsgb.Conv.And(Tsgb.Fc)); // warm-up
        Collect();
        long liveBefore = Tensor.TotalCount;
        long rssBefore = Environment.WorkingSet;

        for (int i = 0; i < 200; i++)
        {
            var method = i % 2 == 0 ? (object)Tsgb.Conv.And(Tsgb.Fc) : new TsgbKit.Methods.GradCam();
            if (method is TsgbKit.Rules.Composite rules) model.Explain(input).For(i % 5).With(rules);
            else model.Explain(input).For(i % 5).With((TsgbKit.Methods.SaliencyMethod)method);
        }
        Collect();
        long liveAfter = Tensor.TotalCount;
        long rssGrowth = Environment.WorkingSet - rssBefore;

        Assert.True(liveAfter - liveBefore <= 5, $"{liveAfter - liveBefore} tensors still alive after 200 explanations");
        Assert.True(rssGrowth < 64L << 20, $"resident memory grew by {rssGrowth >> 20} MiB");
    }

    [Fact]
    public void StatisticsReadLaterLeaveNoNativeTensorsBehind()
    {
        // the deferred re-run holds a managed copy of the input, never a native tensor
        var model = TestModels.SmallVgg();
        using var input = TestModels.Input();
        for (int i = 0; i < 3; i++) _ = model.Explain(input).For(i, i + 1).With(Tsgb.Conv.And(Tsgb.Fc))[0].Statistics; // warm-up
        Collect();
        long liveBefore = Tensor.TotalCount;

        var kept = new List<TsgbKit.Explain.ExplanationSet>();
        for (int i = 0; i < 40; i++) kept.Add(model.Explain(input).For(i % 4, 4).With(Tsgb.Conv.And(Tsgb.Fc)));
        Collect();
        Assert.True(Tensor.TotalCount - liveBefore <= 5, $"{Tensor.TotalCount - liveBefore} tensors alive while 40 sets wait for their statistics");
        foreach (var set in kept) Assert.NotEmpty(set[1].Statistics.Rows);
        Collect();
        Assert.True(Tensor.TotalCount - liveBefore <= 5, $"{Tensor.TotalCount - liveBefore} tensors alive after 40 sets read their statistics");
        GC.KeepAlive(kept);
    }

    private static void Collect()
    {
        GC.Collect();
        GC.WaitForPendingFinalizers();
        GC.Collect();
    }
}
