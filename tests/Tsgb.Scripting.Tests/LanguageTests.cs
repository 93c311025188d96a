using TsgbKit.Jupyter;

namespace TsgbKit.Scripting.Tests;

public sealed class LanguageTests(InterpreterFixture fixture) : IClassFixture<InterpreterFixture>
{
    private readonly CSharpInterpreter _i = fixture.Interpreter;

    [Theory]
    [InlineData("var x = 1;", Completeness.Complete)]
    [InlineData("1 + 2", Completeness.Complete)]
    [InlineData("#!time\nvar x = 1;", Completeness.Complete)]
    [InlineData("if (true) {", Completeness.Incomplete)]
    [InlineData("void F() {\n  var s = \"a\";", Completeness.Incomplete)]
    [InlineData("var s = @\"abc", Completeness.Incomplete)]
    [InlineData("var x = );", Completeness.Invalid)]
    [InlineData("int 5x = 3;", Completeness.Invalid)]
    public void IsComplete(string code, Completeness expected) => Assert.Equal(expected, _i.IsComplete(code).Status);

    [Fact]
    public void IsComplete_of_directives_and_magics_alone() =>
        Assert.Equal(Completeness.Complete, _i.IsComplete("#!time\n#r \"nuget: Foo, 1.0\"\n").Status);

    [Fact]
    public async Task Inspect_of_a_variable_of_an_earlier_cell_shows_its_type_and_value()
    {
        await _i.OkAsync("var inspected = new List<string> { \"a\" };");
        var r = _i.Inspect("inspected", 4, 1);
        var text = (string)r!.Data["text/plain"];
        Assert.Contains("List<string> inspected", text);
        Assert.Contains("Value:", text);
    }

    [Fact]
    public void IsComplete_indents_inside_braces() => Assert.Equal("    ", _i.IsComplete("for (;;) {").Indent);

    [Fact]
    public void Completes_members_of_a_variable()
    {
        var code = "var s = \"x\"; s.Len";
        var r = _i.Complete(code, code.Length);
        Assert.Contains("Length", r.Matches);
        Assert.Equal(code.Length - 3, r.Start);
        Assert.Equal(code.Length, r.End);
        Assert.Contains(r.Items!, i => i.Text == "Length" && i.Type == "property");
    }

    [Fact]
    public async Task Completes_members_of_a_variable_of_an_earlier_cell()
    {
        await _i.OkAsync("var earlierList = new List<int>();");
        var code = "earlierList.";
        var r = _i.Complete(code, code.Length);
        Assert.Contains("Add", r.Matches);
        Assert.Contains("Count", r.Matches);
        Assert.Contains("Select", r.Matches); // extension method
        var v = _i.Complete("earlierLi", 9);
        Assert.Contains("earlierList", v.Matches);
    }

    [Fact]
    public void Completes_namespaces_types_and_keywords()
    {
        var ns = _i.Complete("System.Co", 9);
        Assert.Contains("Collections", ns.Matches);
        Assert.Contains("Console", ns.Matches);
        Assert.Equal(7, ns.Start);
        Assert.Contains(ns.Items!, i => i.Text == "Collections" && i.Type == "namespace");

        var stat = _i.Complete("Console.Wr", 10);
        Assert.Contains("WriteLine", stat.Matches);

        var kw = _i.Complete("forea", 5);
        Assert.Contains("foreach", kw.Matches);
        Assert.Contains(kw.Items!, i => i.Text == "foreach" && i.Type == "keyword");

        var type = _i.Complete("var sb = new StringBu", 21);
        Assert.Contains("StringBuilder", type.Matches);
    }

    [Fact]
    public void Completes_magic_names_at_the_top_of_a_cell()
    {
        var r = _i.Complete("#!wh", 4);
        Assert.Equal(["#!who", "#!whos"], r.Matches);
        Assert.Equal(0, r.Start);
        var second = _i.Complete("#!time\n#!ls", 11);
        Assert.Equal(["#!lsmagic"], second.Matches);
        Assert.Equal(7, second.Start);
    }

    [Fact]
    public void Completion_hides_plumbing_and_is_empty_in_strings_and_comments()
    {
        var r = _i.Complete("ScriptR", 7);
        Assert.DoesNotContain("ScriptRuntime", r.Matches);
        Assert.DoesNotContain(_i.Complete("__v", 3).Matches, m => m.StartsWith("__"));
        Assert.Empty(_i.Complete("var t = \"Con", 12).Matches);
        Assert.Empty(_i.Complete("// Con", 6).Matches);
    }

    [Fact]
    public void Inspect_shows_signature_and_summary_of_framework_members()
    {
        var code = "Console.WriteLine";
        var r = _i.Inspect(code, code.Length, 0);
        Assert.NotNull(r);
        var text = (string)r!.Data["text/plain"];
        Assert.Contains("Console.WriteLine(", text);
        Assert.Contains("Writes", text); // "Writes the current line terminator..." from System.Console.xml
    }

    [Fact]
    public async Task Inspect_shows_user_doc_comments()
    {
        await _i.OkAsync("/// <summary>Adds one to <paramref name=\"v\"/>.</summary>\nint AddOne(int v) => v + 1;");
        var r = _i.Inspect("AddOne(3)", 3, 0);
        var text = (string)r!.Data["text/plain"];
        Assert.Contains("int AddOne(int v)", text);
        Assert.Contains("Adds one to v.", text);
        Assert.Null(_i.Inspect("   ", 1, 0));
    }
}
