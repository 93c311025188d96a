using TsgbKit.Jupyter;

namespace TsgbKit.Scripting.Tests;

/// <summary>execute_request's user_expressions: a value's bundle or one error, and no trace in the session.</summary>
public sealed class UserExpressionTests
{
    [Fact]
    public async Task An_expression_gets_the_mime_bundle_of_its_value_from_the_session_state()
    {
        using var interpreter = new CSharpInterpreter();
        await interpreter.OkAsync("var x = 20;");

        var result = await interpreter.EvaluateExpressionAsync("x + 22", CancellationToken.None);

        Assert.Null(result.Error);
        Assert.Equal("42", result.Data!["text/plain"]);
        // The same formatting as a cell's value (here HTML from a formatter registered in the session).
        await interpreter.OkAsync("""
            record Celsius(int C);
            Formatter.Register<Celsius>((t, w) => w.Write($"<b>{t.C} °C</b>"), "text/html");
            """);
        var html = await interpreter.EvaluateExpressionAsync("new Celsius(x)", CancellationToken.None);
        Assert.Equal("<b>20 °C</b>", html.Data!["text/html"]);
    }

    [Fact]
    public async Task Unknown_names_and_exceptions_are_errors_with_name_value_and_traceback()
    {
        using var interpreter = new CSharpInterpreter();

        var unknown = await interpreter.EvaluateExpressionAsync("nosuch", CancellationToken.None);
        Assert.Null(unknown.Data);
        Assert.Equal("CompilationError", unknown.Error!.Name);
        Assert.Contains("nosuch", unknown.Error.Value);

        var thrown = await interpreter.EvaluateExpressionAsync("int.Parse(\"abc\")", CancellationToken.None);
        Assert.Equal("FormatException", thrown.Error!.Name);
        Assert.NotEmpty(thrown.Error.Traceback);

        var statement = await interpreter.EvaluateExpressionAsync("var y = 1;", CancellationToken.None);
        Assert.Equal("ExpressionError", statement.Error!.Name);
    }

    [Fact]
    public async Task Evaluating_leaves_no_variables_and_no_outputs()
    {
        using var interpreter = new CSharpInterpreter();
        await interpreter.OkAsync("var n = 1;");
        var (_, cellOutput) = await interpreter.RunAsync("n");

        // A declaration inside the expression and its Console output must not reach the session or the last cell.
        var result = await interpreter.EvaluateExpressionAsync("((Func<int>)(() => { Console.WriteLine(\"side\"); display(\"shown\"); return n + 1; }))()", CancellationToken.None);
        Assert.Equal("2", result.Data!["text/plain"]);
        Assert.Empty(cellOutput.Streams);
        Assert.Empty(cellOutput.Displays);

        var declared = await interpreter.EvaluateExpressionAsync("(n = 5) is var m ? m : 0", CancellationToken.None);
        Assert.Equal("5", declared.Data!["text/plain"]); // assigning an existing variable is the user's own doing
        Assert.DoesNotContain("m", interpreter.Variables.Names); // but a variable it declares does not stick
        var (after, output) = await interpreter.RunAsync("Console.WriteLine(\"after\"); n");
        Assert.Equal(ExecutionStatus.Ok, after.Status);
        Assert.Equal("after\n", output.StdOut); // the cell's output works again after the evaluation
    }

    [Fact]
    public async Task An_interrupted_expression_is_an_interrupted_error()
    {
        using var interpreter = new CSharpInterpreter();
        using var cts = new CancellationTokenSource(TimeSpan.FromMilliseconds(300));
        var result = await interpreter.EvaluateExpressionAsync("((Func<int>)(() => { while (true) { } }))()", cts.Token);
        Assert.Equal(CSharpInterpreter.InterruptedErrorName, result.Error!.Name);
        Assert.Equal("2", (await interpreter.EvaluateExpressionAsync("1 + 1", CancellationToken.None)).Data!["text/plain"]);
    }
}
