using TorchSharp;
using TsgbKit.Errors;
using TsgbKit.Interactive.Cli;
using TsgbKit.Interactive.Notebook;
using TsgbKit.Jupyter;
using TsgbKit.Labels;
using TsgbKit.Models;
using TsgbKit.Scripting;
using TsgbKit.Weights;
using static TorchSharp.torch;

namespace TsgbKit.Interactive.Tests;

/// <summary>
/// Which errors the CLI and the #!tsgb magic show as one line: the project's user-error types only. An
/// ArgumentException of TorchSharp or an internal InvalidOperationException is a bug and keeps its stack trace.
/// </summary>
public sealed class UserErrorTests
{
    /// <summary>A real ArgumentException from inside TorchSharp (a tensor whose shape does not hold its data).</summary>
    private static Tensor TorchShapeError() => torch.tensor(new float[5], [2, 3]);

    private static Exception Caught(Action action)
    {
        try { action(); }
        catch (Exception e) { return e; }
        throw new Xunit.Sdk.XunitException("expected an exception");
    }

    [Fact]
    public void Only_the_projects_user_error_types_and_file_errors_on_paths_are_user_errors()
    {
        var torchError = Caught(() => TorchShapeError());
        Assert.IsAssignableFrom<ArgumentException>(torchError); // the case the old rule took for the user's
        Assert.False(UserErrors.IsUserError(torchError));
        Assert.False(TsgbMagic.IsUserError(torchError));
        // An internal invariant of Tsgb.Core (an enum value that cannot occur) is a bug too.
        var unreachable = Caught(() => ((SafeTensorsDType)99).Size());
        Assert.False(TsgbMagic.IsUserError(unreachable));
        Assert.False(TsgbMagic.IsUserError(new InvalidOperationException("unreachable")));
        Assert.False(TsgbMagic.IsUserError(new NullReferenceException()));
        Assert.False(TsgbMagic.IsUserError(new FileNotFoundException("Could not load file or assembly", "Some.Assembly, Version=1.0.0.0")));

        Assert.True(TsgbMagic.IsUserError(new TsgbInputException("unknown layer 'x'")));
        Assert.True(TsgbMagic.IsUserError(new TsgbStateException("no model yet")));
        Assert.True(TsgbMagic.IsUserError(new LabelException("no such label")));
        Assert.True(TsgbMagic.IsUserError(new TsgbKit.Scripting.Magics.MagicException("bad magic")));
        Assert.True(UserErrors.IsUserError(new FileNotFoundException("missing", "/data/cat.png")));
        Assert.True(UserErrors.IsUserError(new DirectoryNotFoundException("/no/such/dir")));
        Assert.False(UserErrors.IsUserError(new TsgbKit.Scripting.Magics.MagicException("only in the magic")));
    }

    [Fact]
    public void The_cli_prints_a_user_error_as_one_line_and_lets_a_bug_through_with_its_trace()
    {
        var stderr = new StringWriter();
        var original = Console.Error;
        Console.SetError(stderr);
        try
        {
            Assert.Equal(2, UserErrors.Run(() => throw new TsgbInputException("unknown colormap 'x'")));
            var bug = Assert.ThrowsAny<ArgumentException>(() => UserErrors.Run(() => { TorchShapeError(); return 0; }));
            Assert.Contains(nameof(TorchShapeError), bug.StackTrace); // the trace leads to where it happened
            Assert.Throws<InvalidOperationException>(() => UserErrors.Run(() => throw new InvalidOperationException("unreachable")));
        }
        finally { Console.SetError(original); }
        Assert.Equal("error: unknown colormap 'x'" + Environment.NewLine, stderr.ToString());
    }

    /// <summary>A classifier whose forward pass fails the way <paramref name="fail"/> does.</summary>
    private sealed class FailingModule : nn.Module<Tensor, Tensor>
    {
        private readonly Action fail;
        private readonly nn.Module<Tensor, Tensor> conv = nn.Conv2d(3, 2, 3);

        public FailingModule(Action fail) : base("failing")
        {
            this.fail = fail;
            RegisterComponents();
        }

        public override Tensor forward(Tensor input)
        {
            fail();
            return conv.call(input).mean([2, 3]);
        }
    }

    private static async Task<ExecutionOutcome> RunMagicAsync(Action fail, string line)
    {
        using var interpreter = new CSharpInterpreter();
        var surface = new NotebookSurface();
        interpreter.Magics.Register(TsgbMagic.Create(surface));
        var module = new FailingModule(fail);
        surface.Session.Model = new Classifier(module, "failing", new LabelSet(["zero", "one"]), camLayer: "conv");
        return await interpreter.ExecuteAsync(new ExecutionRequest(line, false, true, false, 1), new DiscardOutput(), CancellationToken.None);
    }

    private sealed class DiscardOutput : IExecutionOutput
    {
        public void Stream(string name, string text) { }
        public void Display(MimeBundle data, string? displayId = null) { }
        public void UpdateDisplay(MimeBundle data, string displayId) { }
        public void ClearOutput(bool wait) { }
        public string ReadInput(string prompt, bool password) => "";
    }

    [Fact]
    public async Task The_magic_keeps_the_trace_of_a_torch_argument_error_and_of_an_internal_error()
    {
        var torch = await RunMagicAsync(() => TorchShapeError(), "#!tsgb explain --scene 1 --target zero --method gradient");
        Assert.Equal(ExecutionStatus.Error, torch.Status);
        Assert.Contains(torch.Error!.Traceback, l => l.Contains(nameof(TorchShapeError)));
        Assert.True(torch.Error.Traceback.Count > 1);

        var internalError = await RunMagicAsync(() => throw new InvalidOperationException("unreachable"), "#!tsgb explain --scene 1 --target zero --method gradient");
        Assert.Equal("InvalidOperationException", internalError.Error!.Name);
        Assert.Contains(internalError.Error.Traceback, l => l.TrimStart().StartsWith("at ", StringComparison.Ordinal));
    }

    [Fact]
    public async Task The_magic_shows_a_user_error_as_one_line()
    {
        var outcome = await RunMagicAsync(() => { }, "#!tsgb explain --scene 1 --target no-such-label --method gradient");
        Assert.Equal(ExecutionStatus.Error, outcome.Status);
        var line = Assert.Single(outcome.Error!.Traceback);
        Assert.Contains("no-such-label", line);
    }
}
