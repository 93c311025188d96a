using TsgbKit.Jupyter;

namespace TsgbKit.Scripting.Tests;

/// <summary>
/// A cell run again and again (<c>var m = …</c>) must not keep every earlier value alive through the session's chain
/// of submissions: a declaration releases the value of the one it shadows (issue 11, memory over a long session).
/// </summary>
public sealed class ShadowedVariableTests : IDisposable
{
    private readonly CSharpInterpreter _i = new();

    public void Dispose() => _i.Dispose();

    private const string Collect = "GC.Collect(); GC.WaitForPendingFinalizers(); GC.Collect();";

    [Fact]
    public async Task A_redeclared_variable_releases_the_value_it_shadows()
    {
        await _i.OkAsync("var tracker = new List<WeakReference>();");
        for (var k = 0; k < 5; k++)
            await _i.OkAsync("var m = new byte[100_000]; tracker.Add(new WeakReference(m));");
        var alive = await _i.OkAsync(Collect + " tracker.Count(w => w.IsAlive)");
        Assert.Equal("1", alive.Plain());
        Assert.Equal("100000", (await _i.OkAsync("m.Length")).Plain()); // the latest stays
    }

    [Fact]
    public async Task Variables_of_other_names_keep_their_values()
    {
        await _i.OkAsync("var kept = new List<WeakReference>(); var keep = new byte[10]; kept.Add(new WeakReference(keep));");
        for (var k = 0; k < 3; k++) await _i.OkAsync("var other = new byte[10];");
        Assert.Equal("1", (await _i.OkAsync(Collect + " kept.Count(w => w.IsAlive)")).Plain());
        Assert.Equal("10", (await _i.OkAsync("keep.Length")).Plain());
    }

    [Fact]
    public async Task A_redeclaration_with_another_type_and_value_types_work()
    {
        await _i.OkAsync("var n = 5;");
        await _i.OkAsync("var n = \"five\";");
        Assert.Equal("five", (await _i.OkAsync("n")).Plain());
        await _i.OkAsync("var n = 7;");
        Assert.Equal("8", (await _i.OkAsync("n + 1")).Plain());
    }

    [Fact]
    public async Task A_redeclaration_can_be_computed_from_the_value_it_shadows()
    {
        await _i.OkAsync("var s = \"a\";");
        await _i.OkAsync("var t = s + \"b\";");
        await _i.OkAsync("var s = t + \"c\";");
        Assert.Equal("abc", (await _i.OkAsync("s")).Plain());
        await _i.OkAsync("var u = s + s;"); // the latest s, not a released one
        Assert.Equal("abcabc", (await _i.OkAsync("u")).Plain());
    }

    [Fact]
    public async Task Host_bindings_of_the_same_name_release_the_earlier_value()
    {
        await _i.OkAsync("var refs = new List<WeakReference>();");
        for (var k = 0; k < 3; k++)
        {
            var value = new byte[1000];
            await _i.SetVariableAsync("bound", value);
            await _i.OkAsync("refs.Add(new WeakReference(bound));");
        }
        Assert.Equal("1", (await _i.OkAsync(Collect + " refs.Count(w => w.IsAlive)")).Plain());
    }

    [Fact]
    public async Task Reset_starts_over()
    {
        await _i.OkAsync("var r = 1;");
        _i.Reset();
        await _i.OkAsync("var r = 2;");
        await _i.OkAsync("var q = r + 1;");
        await _i.OkAsync("var r = q * 2;");
        Assert.Equal("6", (await _i.OkAsync("r")).Plain());
    }
}
