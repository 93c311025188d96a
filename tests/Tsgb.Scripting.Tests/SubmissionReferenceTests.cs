using Microsoft.CodeAnalysis;

namespace TsgbKit.Scripting.Tests;

/// <summary>Public so that cells can name it.</summary>
public static class HostReferencedType
{
    public static int Answer => 42;
}

/// <summary>
/// The host's references go into the first submission only; later submissions see them through the chain and carry
/// only what was added since (#r, bindings). Passing all ~200 with every cell made each compilation keep its own.
/// </summary>
public sealed class SubmissionReferenceTests : IDisposable
{
    private readonly CSharpInterpreter _i = new(new CSharpInterpreterOptions
    {
        Usings = ["System", "System.Linq", "TsgbKit.Scripting.Tests"],
        References = [typeof(SubmissionReferenceTests).Assembly],
    });

    public void Dispose() => _i.Dispose();

    [Fact]
    public async Task Later_submissions_carry_no_host_references_and_still_see_them()
    {
        await _i.OkAsync("var a = 1;");
        for (var k = 0; k < 5; k++) await _i.OkAsync($"var b{k} = HostReferencedType.Answer + a;");
        Assert.Equal("42", (await _i.OkAsync("HostReferencedType.Answer")).Plain());
        Assert.Equal("43", (await _i.OkAsync("b4")).Plain());
        // framework assemblies too (System.Text.Json is not imported, only referenced)
        Assert.Equal("3", (await _i.OkAsync("System.Text.Json.JsonSerializer.Serialize(new[] { 1 }).Length")).Plain());

        var options = _i.State!.Script.Options;
        Assert.True(options.MetadataReferences.Length < 5, $"a later submission passes {options.MetadataReferences.Length} references");
        Assert.True(_i.ScriptOptions.MetadataReferences.Length > 50); // the first one had them all
    }

    [Fact]
    public async Task A_reference_added_by_a_host_binding_reaches_later_cells()
    {
        await _i.OkAsync("var start = 0;");
        var value = new System.Text.StringBuilder("bound"); // a type whose assembly the session references already
        await _i.SetVariableAsync("sb", value);
        Assert.Equal("5", (await _i.OkAsync("sb.Length")).Plain());
        await _i.OkAsync("var later = sb.ToString();");
        Assert.Equal("bound", (await _i.OkAsync("later")).Plain());
    }

    [Fact]
    public async Task Completion_and_user_expressions_still_see_host_types()
    {
        await _i.OkAsync("var x = 2;");
        var completion = _i.Complete("HostReferencedType.Ans", "HostReferencedType.Ans".Length);
        Assert.Contains("Answer", completion.Matches);
        var result = await _i.EvaluateExpressionAsync("HostReferencedType.Answer + x", CancellationToken.None);
        Assert.Null(result.Error);
        Assert.Equal("44", (string)result.Data!["text/plain"]);
    }
}
