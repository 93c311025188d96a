using TsgbKit.Jupyter;

namespace TsgbKit.Scripting.Tests;

public sealed class ExecutionTests(InterpreterFixture fixture) : IClassFixture<InterpreterFixture>
{
    private readonly CSharpInterpreter _i = fixture.Interpreter;

    [Fact]
    public async Task State_carries_across_cells()
    {
        await _i.OkAsync("var counter = 41;");
        await _i.OkAsync("int Twice(int x) => 2 * x;");
        var r = await _i.OkAsync("Twice(counter + 1) / 2");
        Assert.Equal("42", r.Plain());
    }

    [Fact]
    public async Task Trailing_expression_is_the_result_and_statements_have_none()
    {
        var r = await _i.OkAsync("1 + 2");
        Assert.Equal(["text/plain"], r.Result!.Keys);
        Assert.Equal("3", r.Plain());

        Assert.Null((await _i.OkAsync("var unused = 5;")).Result);
        Assert.Null((await _i.OkAsync("Console.Write(\"\")")).Result); // void expression

        var s = await _i.OkAsync("\"hello\"");
        Assert.Equal("hello", s.Plain());
        Assert.Single(s.Result!);

        var list = await _i.OkAsync("new List<int> { 1, 2, 3 }");
        Assert.Equal(["text/plain"], list.Result!.Keys);
        Assert.Contains("1", list.Plain());
    }

    [Fact]
    public async Task Display_and_update()
    {
        var (outcome, output) = await _i.RunAsync("""
            var h = display("step 0");
            for (var k = 1; k <= 5; k++) h.Update($"step {k}");
            "x".Display();
            """);
        Assert.Equal(ExecutionStatus.Ok, outcome.Status);
        var displays = output.Displays.ToList();
        Assert.Equal(2, displays.Count);
        Assert.Equal("step 0", displays[0].Data["text/plain"]);
        Assert.NotNull(displays[0].Id);
        var updates = output.Updates.ToList();
        Assert.Equal(5, updates.Count);
        Assert.All(updates, u => Assert.Equal(displays[0].Id, u.Id));
        Assert.Equal("step 5", updates[^1].Data["text/plain"]);
    }

    [Fact]
    public async Task Console_output_from_cell_and_thread_goes_to_the_cell()
    {
        var (outcome, output) = await _i.RunAsync("""
            Console.WriteLine("from cell");
            Console.Error.WriteLine("to stderr");
            var t = new System.Threading.Thread(() => Console.WriteLine("from thread"));
            t.Start(); t.Join();
            await Task.Run(() => Console.WriteLine("from task"));
            """);
        Assert.Equal(ExecutionStatus.Ok, outcome.Status);
        Assert.Contains("from cell\n", output.StdOut);
        Assert.Contains("from thread\n", output.StdOut);
        Assert.Contains("from task\n", output.StdOut);
        Assert.Equal("to stderr\n", output.StdErr);
    }

    [Fact]
    public async Task Console_output_after_the_cell_ended_goes_to_the_last_cell()
    {
        var (outcome, output) = await _i.RunAsync("""
            var gate = new System.Threading.ManualResetEventSlim();
            var late = new System.Threading.Thread(() => { gate.Wait(); Console.WriteLine("late"); });
            late.Start();
            """);
        Assert.Equal(ExecutionStatus.Ok, outcome.Status);
        Assert.Equal("", output.StdOut);
        var (_, later) = await _i.RunAsync("gate.Set(); late.Join();");
        Assert.Equal("late\n", later.StdOut + output.StdOut);
    }

    [Fact]
    public async Task Console_ReadLine_asks_the_frontend()
    {
        var output = new RecordingOutput();
        output.Inputs.Enqueue("Ada");
        var outcome = await _i.ExecuteAsync(new ExecutionRequest("var name = Console.ReadLine(); $\"hi {name}\"", false, true, true, 1), output, default);
        Assert.Equal("hi Ada", outcome.Plain());
        Assert.Single(output.Prompts);
    }

    [Fact]
    public async Task Async_code_and_await()
    {
        var r = await _i.OkAsync("await Task.Delay(10); await Task.FromResult(7)");
        Assert.Equal("7", r.Plain());
    }

    [Fact]
    public async Task Reset_drops_state()
    {
        using var i = new CSharpInterpreter();
        await i.OkAsync("var gone = 1;");
        i.Reset();
        var (outcome, _) = await i.RunAsync("gone");
        Assert.Equal(ExecutionStatus.Error, outcome.Status);
        Assert.Contains("CS0103", outcome.Error!.Value);
    }

    [Fact]
    public void Info_describes_csharp()
    {
        Assert.Equal("tsgb-csharp", _i.Info.Implementation);
        Assert.Equal("csharp", _i.Info.Language.Name);
        Assert.Equal("text/x-csharp", _i.Info.Language.MimeType);
        Assert.Equal(".cs", _i.Info.Language.FileExtension);
        Assert.Matches(@"^\d+(\.\d+)?$", _i.Info.Language.Version);
    }

    [Fact]
    public async Task An_unresolvable_host_using_does_not_break_cells()
    {
        using var i = new CSharpInterpreter(new CSharpInterpreterOptions { Usings = ["System", "No.Such.Namespace"] });
        Assert.Equal("2", (await i.OkAsync("Math.Max(1, 2)")).Plain());
        var (o2, output2) = await i.RunAsync("3");
        Assert.Equal("3", o2.Plain());
        Assert.Equal("", output2.StdErr);
    }

    [Fact]
    public async Task Host_usings_and_references_are_honoured()
    {
        using var i = new CSharpInterpreter(new CSharpInterpreterOptions
        {
            Usings = ["System", "static System.Math"],
            References = [typeof(System.Text.Json.JsonSerializer).Assembly],
        });
        var r = await i.OkAsync("Max(3, Abs(-9))");
        Assert.Equal("9", r.Plain());
        // System.Linq is not imported by this host.
        var (failed, _) = await i.RunAsync("new[] { 1 }.Select(x => x)");
        Assert.Equal(ExecutionStatus.Error, failed.Status);
    }
}
