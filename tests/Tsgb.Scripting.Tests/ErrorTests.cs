using Tsgb.Jupyter;

namespace Tsgb.Scripting.Tests;

public sealed class ErrorTests(InterpreterFixture fixture) : IClassFixture<InterpreterFixture>
{
    private readonly CSharpInterpreter _i = fixture.Interpreter;

    [Fact]
    public async Task Compile_error_is_one_error_with_cell_positions()
    {
        var (outcome, output) = await _i.RunAsync("var a = 1;\nvar b = nope + a;\nwhile (true) { undefinedToo++; }");
        Assert.Equal(ExecutionStatus.Error, outcome.Status);
        var e = outcome.Error!;
        Assert.Equal("CompilationError", e.Name);
        Assert.StartsWith("(2,9): error CS0103", e.Value);
        Assert.Contains("nope", e.Value);
        Assert.Equal(2, e.Traceback.Count);
        // The loop body is instrumented; the column must still be the cell's own.
        Assert.StartsWith("(3,16): error CS0103", e.Traceback[1]);
        Assert.Empty(output.Streams);
    }

    [Fact]
    public async Task Runtime_exception_has_type_message_and_cell_line()
    {
        await _i.OkAsync("void Boom(int n)\n{\n    throw new InvalidOperationException($\"bad {n}\");\n}");
        var (outcome, output) = await _i.RunAsync("var x = 1;\nConsole.WriteLine(\"before\");\nBoom(x);");
        Assert.Equal(ExecutionStatus.Error, outcome.Status);
        var e = outcome.Error!;
        Assert.Equal("InvalidOperationException", e.Name);
        Assert.Equal("bad 1", e.Value);
        Assert.Contains(e.Traceback, l => l.Contains("Boom") && l.Contains("line 3"));
        Assert.Contains(e.Traceback, l => l.Contains("<cell>") && l.Contains("line 3"));
        Assert.DoesNotContain(e.Traceback, l => l.Contains("Submission#"));
        Assert.Equal("before\n", output.StdOut);
        Assert.Equal("", output.StdErr);
    }

    [Fact]
    public async Task Failing_cell_keeps_earlier_state()
    {
        await _i.OkAsync("var kept = \"still here\";");
        var (bad, _) = await _i.RunAsync("kept = kept + 1; throw new Exception(\"x\");");
        Assert.Equal(ExecutionStatus.Error, bad.Status);
        var (cerr, _) = await _i.RunAsync("kept = ;");
        Assert.Equal(ExecutionStatus.Error, cerr.Status);
        Assert.StartsWith("still here", (await _i.OkAsync("kept")).Plain());
    }

    [Fact]
    public async Task Hundred_failing_cells_then_a_good_one()
    {
        await _i.OkAsync("var survivor = 123;");
        for (var k = 0; k < 100; k++)
        {
            var (o, _) = await _i.RunAsync(k % 2 == 0 ? "throw new ArgumentException(\"no\");" : "int y = \"s\";");
            Assert.Equal(ExecutionStatus.Error, o.Status);
        }
        Assert.Equal("124", (await _i.OkAsync("survivor + 1")).Plain());
    }
}
