using TsgbKit.Jupyter;

namespace TsgbKit.Scripting.Tests;

/// <summary>IPython-style <c>symbol?</c> cells: help in a page payload instead of C#.</summary>
public sealed class HelpTests(InterpreterFixture fixture) : IClassFixture<InterpreterFixture>
{
    private readonly CSharpInterpreter _i = fixture.Interpreter;

    private static string PageText(ExecutionOutcome outcome)
    {
        var payload = Assert.Single(outcome.Payloads);
        Assert.Equal("page", payload.Source);
        Assert.Equal(0, payload.Fields["start"]);
        return (string)((MimeBundle)payload.Fields["data"])["text/plain"];
    }

    [Fact]
    public async Task A_method_group_followed_by_a_question_mark_pages_its_signatures()
    {
        var outcome = await _i.OkAsync("Math.Max?");
        Assert.Null(outcome.Result);
        Assert.Contains("Max", PageText(outcome));
    }

    [Fact]
    public async Task Whitespace_around_the_question_mark_is_allowed()
    {
        var outcome = await _i.OkAsync("  \"abc\".Length ? \n");
        Assert.Contains("Length", PageText(outcome));
    }

    [Fact]
    public async Task An_unknown_symbol_is_an_error_naming_it()
    {
        var (outcome, _) = await _i.RunAsync("NoSuchThing?");
        Assert.Equal(ExecutionStatus.Error, outcome.Status);
        Assert.Contains("NoSuchThing", outcome.Error!.Value);
        Assert.Empty(outcome.Payloads);
    }

    [Fact]
    public async Task Valid_csharp_ending_in_a_question_mark_still_runs()
    {
        var outcome = await _i.OkAsync("object boxed = 5; boxed as int?");
        Assert.Equal("5", outcome.Plain());
        Assert.Empty(outcome.Payloads);
    }

    [Fact]
    public void A_help_cell_is_complete() => Assert.Equal(Completeness.Complete, _i.IsComplete("Console.WriteLine?").Status);
}
