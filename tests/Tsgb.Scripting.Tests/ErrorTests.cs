using TsgbKit.Jupyter;

namespace TsgbKit.Scripting.Tests;

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
        // Boom's frame is in the earlier cell (its line 3), the call in this cell's line 3.
        Assert.Contains(e.Traceback, l => System.Text.RegularExpressions.Regex.IsMatch(l, @"at Boom\(Int32\) in cell \[\d+\] line 3$"));
        Assert.Contains(e.Traceback, l => System.Text.RegularExpressions.Regex.IsMatch(l, @"at <cell> in cell \[\d+\] line 3$"));
        var cells = e.Traceback.Select(l => System.Text.RegularExpressions.Regex.Match(l, @"cell \[(\d+)\]")).Where(m => m.Success).Select(m => m.Groups[1].Value).Distinct().ToList();
        Assert.Equal(2, cells.Count);
        Assert.DoesNotContain(e.Traceback, l => l.Contains("Submission#"));
        Assert.Equal("before\n", output.StdOut);
        Assert.Equal("", output.StdErr);
    }

    [Fact]
    public async Task Exception_in_a_lambda_names_the_lambda_and_line()
    {
        var (outcome, _) = await _i.RunAsync("Func<int, int> div = x =>\n    10 / x;\ndiv(0)");
        Assert.Equal("DivideByZeroException", outcome.Error!.Name);
        Assert.Contains(outcome.Error.Traceback, l => l.Contains("<lambda>") && l.EndsWith("line 2"));
        Assert.DoesNotContain(outcome.Error.Traceback, l => l.Contains("ExceptionDispatchInfo"));
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
