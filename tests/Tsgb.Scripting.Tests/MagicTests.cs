using TsgbKit.Jupyter;
using TsgbKit.Scripting.Magics;

namespace TsgbKit.Scripting.Tests;

public sealed class MagicTests
{
    [Fact]
    public async Task Time_runs_the_body_and_prints_the_wall_time()
    {
        using var i = new CSharpInterpreter();
        var (outcome, output) = await i.RunAsync("#!time\nConsole.WriteLine(\"work\");\n6 * 7");
        Assert.Equal("42", outcome.Plain());
        Assert.Matches(@"^work\nWall time: \d+ ms\n$", output.StdOut);

        // Errors in the body keep the cell's line numbers.
        var (bad, _) = await i.RunAsync("#!time\nvar a = 1;\nvar b = missing;");
        Assert.StartsWith("(3,9): error CS0103", bad.Error!.Value);
    }

    [Fact]
    public async Task Who_whos_and_lsmagic()
    {
        using var i = new CSharpInterpreter();
        await i.OkAsync("var alpha = 1; var beta = \"two\"; var gamma = new List<int> { 3 };");
        var who = await i.OkAsync("#!who");
        Assert.Equal("alpha  beta  gamma", who.Plain());

        var whos = await i.OkAsync("#!whos");
        Assert.Contains("<table>", (string)whos.Result!["text/html"]);
        Assert.Contains("List&lt;int&gt;", (string)whos.Result!["text/html"]);
        Assert.Matches(@"beta\s+string\s+two", whos.Plain());

        var ls = await i.OkAsync("#!lsmagic");
        foreach (var m in new[] { "#!time", "#!who", "#!whos", "#!lsmagic" }) Assert.Contains(m, ls.Plain());

        var (unknown, _) = await i.RunAsync("#!nosuchmagic");
        Assert.Equal(ExecutionStatus.Error, unknown.Status);
        Assert.Contains("#!nosuchmagic", unknown.Error!.Value);
    }

    public sealed record Model(string Name, int Layers);

    [Fact]
    public async Task Custom_magic_binds_a_typed_variable_for_later_cells()
    {
        using var i = new CSharpInterpreter();
        i.Magics.Register(new MagicCommand("load", "Loads a model: #!load NAME LAYERS", ctx =>
        {
            var args = ctx.SplitArguments();
            if (args.Count != 2) throw new MagicException("usage: #!load NAME LAYERS");
            ctx.Variables.SetVariable("model", new Model(args[0], int.Parse(args[1])));
            ctx.Variables.SetVariable("names", new List<string> { args[0] });
            return new MimeBundle { ["text/plain"] = $"loaded {args[0]}" };
        }));

        var loaded = await i.OkAsync("#!load \"res net\" 18");
        Assert.Equal("loaded res net", loaded.Plain());
        // Typed: members of Model are usable without casts.
        Assert.Equal("res net has 18 layers, 1", (await i.OkAsync("$\"{model.Name} has {model.Layers} layers, {names.Count}\"")).Plain());

        // Same cell: the binding is there for the body.
        var (both, output) = await i.RunAsync("#!load vgg 16\nmodel.Layers + 1");
        Assert.Equal("17", both.Plain());
        Assert.Equal("loaded vgg", output.Displays.Single().Data["text/plain"]);

        var (err, _) = await i.RunAsync("#!load onlyone");
        Assert.Equal(ExecutionStatus.Error, err.Status);
        Assert.Equal("usage: #!load NAME LAYERS", err.Error!.Value);
        Assert.Single(err.Error.Traceback);
    }

    [Fact]
    public async Task Host_can_bind_variables_directly()
    {
        using var i = new CSharpInterpreter();
        await i.SetVariableAsync("answer", 42);
        Assert.Equal("int", i.Variables.GetDeclaredType("answer") == typeof(int) ? "int" : "other");
        Assert.Equal("43", (await i.OkAsync("answer + 1")).Plain());
        // Without awaiting: bound before the next cell runs.
        i.Variables.SetVariable("later", "bound");
        Assert.Equal("bound!", (await i.OkAsync("later + \"!\"")).Plain());
    }
}
