using TsgbKit.Interactive.Notebook;

namespace TsgbKit.Interactive.Tests;

/// <summary>Pieces of the notebook surface that need no kernel.</summary>
public sealed class NotebookSurfaceTests
{
    [Theory]
    [InlineData(new string[0], new[] { "--help" })]
    [InlineData(new[] { "help" }, new[] { "--help" })]
    [InlineData(new[] { "help", "explain" }, new[] { "explain", "--help" })]
    [InlineData(new[] { "explain", "--scene", "3" }, new[] { "explain", "--scene", "3" })]
    public void HelpRequestsBecomeHelpOptions(string[] line, string[] parsed) =>
        Assert.Equal(parsed, TsgbMagic.HelpRequest(line));

    private sealed class HiddenError() : ArgumentException("hidden");

    [Fact]
    public void BoundVariablesGetAPublicType()
    {
        Assert.Equal(typeof(ArgumentException), NotebookSurface.PublicTypeOf(new HiddenError()));
        Assert.Equal(typeof(List<int>), NotebookSurface.PublicTypeOf(new List<int>()));
    }

    [Fact]
    public void ProgressLineIsATextBar()
    {
        Assert.Equal("explain [###############---------------]  50%  target 2/4", NotebookProgress.Line("explain", 0.5, "target 2/4"));
        Assert.Equal("train [------------------------------]   0%", NotebookProgress.Line("train", 0, ""));
    }

}

/// <summary>The progress output: one display, then updates of that same display.</summary>
public sealed class NotebookProgressTests
{
    private sealed class RecordingOutput : TsgbKit.Jupyter.IExecutionOutput
    {
        public List<(string Kind, string? Id, string Text)> Calls { get; } = [];
        public void Stream(string name, string text) => Calls.Add(("stream", null, text));
        public void Display(TsgbKit.Jupyter.MimeBundle data, string? displayId = null) => Calls.Add(("display", displayId, (string)data["text/plain"]));
        public void UpdateDisplay(TsgbKit.Jupyter.MimeBundle data, string displayId) => Calls.Add(("update", displayId, (string)data["text/plain"]));
        public void ClearOutput(bool wait) => Calls.Add(("clear", null, ""));
        public string ReadInput(string prompt, bool password) => "";
    }

    [Fact]
    public void ReportsUpdateOneDisplayAndTheLastStateIsShown()
    {
        var output = new RecordingOutput();
        using (var progress = new NotebookProgress(output, "ablate"))
        {
            for (var i = 1; i <= 50; i++) progress.Report(i / 100.0, $"step {i}"); // fast: most are throttled
        }
        var display = Assert.Single(output.Calls, c => c.Kind == "display");
        Assert.NotNull(display.Id);
        Assert.All(output.Calls.Skip(1), c => Assert.Equal(("update", display.Id), (c.Kind, c.Id)));
        Assert.True(output.Calls.Count < 20, $"{output.Calls.Count} messages for 50 fast reports");
        Assert.EndsWith("50%  step 50", output.Calls[^1].Text);
    }
}
