using System.Diagnostics;
using TsgbKit.Jupyter;

namespace TsgbKit.Scripting.Tests;

public sealed class InterruptTests
{
    [Theory]
    [InlineData("while (true) {}")]
    [InlineData("for (;;) ;")]
    [InlineData("void Spin() { while (true) { } }\nSpin();")]
    [InlineData("Action spin = () => { do { } while (true); };\nspin();")]
    public async Task Interrupt_stops_an_endless_loop_and_keeps_state(string loop)
    {
        using var i = new CSharpInterpreter();
        await i.OkAsync("var before = 42;");
        using var cts = new CancellationTokenSource();
        var sw = Stopwatch.StartNew();
        var run = i.RunAsync(loop, cts.Token);
        await Task.Delay(500);
        Assert.False(run.IsCompleted);
        cts.Cancel();
        var finished = await Task.WhenAny(run, Task.Delay(20_000));
        Assert.Same(run, finished);
        var (outcome, output) = await run;
        Assert.Equal(ExecutionStatus.Error, outcome.Status);
        Assert.Equal(CSharpInterpreter.InterruptedErrorName, outcome.Error!.Name);
        Assert.Equal("OperationCanceledException", outcome.Error.Name);
        Assert.Empty(output.Streams);
        Assert.Equal("43", (await i.OkAsync("before + 1")).Plain());
    }

    [Fact]
    public async Task Uncooperative_cell_is_abandoned_after_the_grace_period()
    {
        using var i = new CSharpInterpreter(new CSharpInterpreterOptions { InterruptGracePeriod = TimeSpan.FromMilliseconds(300) });
        await i.OkAsync("var ok = 1;");
        using var cts = new CancellationTokenSource(300);
        var (outcome, _) = await i.RunAsync("System.Threading.Thread.Sleep(4000);", cts.Token);
        Assert.Equal(CSharpInterpreter.InterruptedErrorName, outcome.Error!.Name);
        Assert.Equal("OperationCanceledException", outcome.Error.Name);
        Assert.Equal("2", (await i.OkAsync("ok + 1")).Plain());
    }
}
