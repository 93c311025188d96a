using System.Collections.Concurrent;
using TsgbKit.Jupyter;

[assembly: CollectionBehavior(DisableTestParallelization = true)]

namespace TsgbKit.Scripting.Tests;

/// <summary>Records every call of the interpreter on its output channel.</summary>
public sealed class RecordingOutput : IExecutionOutput
{
    public ConcurrentQueue<(string Name, string Text)> Streams { get; } = new();
    public ConcurrentQueue<(MimeBundle Data, string? Id)> Displays { get; } = new();
    public ConcurrentQueue<(MimeBundle Data, string Id)> Updates { get; } = new();
    public int Clears;
    public Queue<string> Inputs { get; } = new();
    public List<string> Prompts { get; } = [];

    public string StdOut => string.Concat(Streams.Where(s => s.Name == "stdout").Select(s => s.Text));
    public string StdErr => string.Concat(Streams.Where(s => s.Name == "stderr").Select(s => s.Text));

    public void Stream(string name, string text) => Streams.Enqueue((name, text));
    public void Display(MimeBundle data, string? displayId = null) => Displays.Enqueue((data, displayId));
    public void UpdateDisplay(MimeBundle data, string displayId) => Updates.Enqueue((data, displayId));
    public void ClearOutput(bool wait) => Interlocked.Increment(ref Clears);
    public string ReadInput(string prompt, bool password)
    {
        lock (Inputs) { Prompts.Add(prompt); return Inputs.Count > 0 ? Inputs.Dequeue() : throw new InvalidOperationException("stdin not allowed"); }
    }
}

/// <summary>One interpreter shared by the tests of a class (startup of Roslyn is the slow part).</summary>
public sealed class InterpreterFixture : IDisposable
{
    public CSharpInterpreter Interpreter { get; } = new();
    public void Dispose() => Interpreter.Dispose();
}

public static class InterpreterExtensions
{
    private static int s_count;

    public static async Task<(ExecutionOutcome Outcome, RecordingOutput Output)> RunAsync(this CSharpInterpreter interpreter, string code, CancellationToken cancel = default)
    {
        var output = new RecordingOutput();
        var outcome = await interpreter.ExecuteAsync(new ExecutionRequest(code, false, true, true, Interlocked.Increment(ref s_count)), output, cancel);
        return (outcome, output);
    }

    public static async Task<ExecutionOutcome> OkAsync(this CSharpInterpreter interpreter, string code)
    {
        var (outcome, _) = await interpreter.RunAsync(code);
        Assert.True(outcome.Status == ExecutionStatus.Ok, $"{outcome.Error?.Name}: {string.Join("\n", outcome.Error?.Traceback ?? [])}");
        return outcome;
    }

    public static string Plain(this ExecutionOutcome outcome) => (string)outcome.Result!["text/plain"];
}
