using System.Collections.Concurrent;

namespace TsgbKit.Jupyter.Tests.Support;

/// <summary>
/// A stand-in language: echoes the code as the result; "fail" fails; "throw" throws; "loop" runs until cancelled;
/// "block-fail" waits for <see cref="Gate"/> and fails; "threads" writes streams from other threads; "input" reads
/// from stdin; "hello", "stderr", "clear", "display" produce those outputs; "page" returns a page payload. A user expression "fail" fails, "throw" throws, any other is
/// its own text, uppercased. Completion replaces the word before the cursor; inspection finds something unless the code is empty.
/// </summary>
internal sealed class FakeInterpreter : IInterpreter
{
    public const int StreamThreads = 4;
    public const int WritesPerThread = 25;
    public const string PageText = "help for the pager";

    public KernelInfo Info { get; } = new("fake", "1.2.3", "Fake banner",
        new LanguageInfo("fake", "0.1", "text/x-fake", ".fake", "text", "text"),
        [new HelpLink("Docs", "https://example.invalid/docs")]);

    /// <summary>Released by each "loop" cell once it runs, so tests know cancellation can reach it.</summary>
    public SemaphoreSlim Started { get; } = new(0);

    public SemaphoreSlim Gate { get; } = new(0);

    public ConcurrentQueue<int> CompleteCursors { get; } = new();
    public ConcurrentQueue<int> InspectCursors { get; } = new();
    public ConcurrentQueue<ExecutionRequest> Requests { get; } = new();
    public ConcurrentQueue<string> Expressions { get; } = new();
    public int ResetCount;

    public async Task<ExecutionOutcome> ExecuteAsync(ExecutionRequest request, IExecutionOutput output, CancellationToken cancel)
    {
        Requests.Enqueue(request);
        switch (request.Code)
        {
            case "fail":
                return ExecutionOutcome.Failed(new ExecutionError("FakeError", "it failed", ["line 1", "line 2"]));
            case "throw":
                throw new InvalidOperationException("thrown by the interpreter");
            case "loop":
                Started.Release();
                await Task.Delay(Timeout.Infinite, cancel);
                return ExecutionOutcome.Ok();
            case "block-fail":
                await Gate.WaitAsync(cancel);
                return ExecutionOutcome.Failed(new ExecutionError("FakeError", "blocked then failed", []));
            case "threads":
                var threads = Enumerable.Range(0, StreamThreads).Select(t => new Thread(() =>
                {
                    for (var i = 0; i < WritesPerThread; i++) output.Stream(t % 2 == 0 ? "stdout" : "stderr", $"t{t}-{i}\n");
                })).ToList();
                threads.ForEach(t => t.Start());
                threads.ForEach(t => t.Join());
                return ExecutionOutcome.Ok();
            case "input":
                var value = await Task.Run(() => output.ReadInput("Name? ", false), cancel);
                return ExecutionOutcome.Ok(new MimeBundle { ["text/plain"] = "got " + value });
            case "hello":
                output.Stream("stdout", "hello, world\n");
                return ExecutionOutcome.Ok();
            case "stderr":
                output.Stream("stderr", "to stderr\n");
                return ExecutionOutcome.Ok();
            case "clear":
                output.ClearOutput(wait: false);
                return ExecutionOutcome.Ok();
            case "display":
                output.Display(new MimeBundle { ["text/html"] = "<b>x</b>" }, "d1");
                output.UpdateDisplay(new MimeBundle { ["text/html"] = "<b>y</b>" }, "d1");
                return ExecutionOutcome.Ok();
            case "page":
                return ExecutionOutcome.Ok() with { Payloads = [ExecutionPayload.Page(new MimeBundle { ["text/plain"] = PageText })] };
            default:
                output.Stream("stdout", "running " + request.Code);
                return ExecutionOutcome.Ok(new MimeBundle { ["text/plain"] = request.Code });
        }
    }

    public Task<ExpressionResult> EvaluateExpressionAsync(string expression, CancellationToken cancel)
    {
        Expressions.Enqueue(expression);
        return expression switch
        {
            "fail" => Task.FromResult(ExpressionResult.Failed(new ExecutionError("FakeError", "expression failed", ["expr line 1"]))),
            "throw" => throw new InvalidOperationException("expression thrown by the interpreter"),
            _ => Task.FromResult(ExpressionResult.Ok(new MimeBundle { ["text/plain"] = expression.ToUpperInvariant() })),
        };
    }

    public CompletenessResult IsComplete(string code) =>
        code.EndsWith('{') ? new CompletenessResult(Completeness.Incomplete, "    ")
        : code.Contains("}}") ? new CompletenessResult(Completeness.Invalid)
        : new CompletenessResult(Completeness.Complete);

    public CompletionResult Complete(string code, int cursor)
    {
        CompleteCursors.Enqueue(cursor);
        if (code == "boom") throw new InvalidOperationException("completion crashed");
        var start = cursor;
        while (start > 0 && char.IsLetter(code[start - 1])) start--;
        var word = code[start..cursor];
        return new CompletionResult([word + "One", word + "Two"], start, cursor,
            [new CompletionItemInfo(word + "One", "method", "void One()", start, cursor)]);
    }

    public InspectionResult? Inspect(string code, int cursor, int detailLevel)
    {
        InspectCursors.Enqueue(cursor);
        return code.Length == 0 ? null : new InspectionResult(new MimeBundle { ["text/plain"] = $"doc at {cursor}" });
    }

    public void Reset() => Interlocked.Increment(ref ResetCount);
}
