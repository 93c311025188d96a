namespace TsgbKit.Jupyter;

/// <summary>
/// What the protocol layer needs from a language: the only seam between Jupyter messaging and evaluation
/// (as in xeus). Text positions here are UTF-16 indices into the string; the protocol layer converts from and
/// to the Unicode code points that Jupyter messages count.
/// </summary>
public interface IInterpreter
{
    /// <summary>kernel_info: implementation name and version, banner, language_info.</summary>
    KernelInfo Info { get; }

    /// <summary>
    /// Runs one execute_request. Outputs (streams, display data, clear_output) go through <paramref name="output"/>
    /// while the code runs; the returned result carries the trailing value or the single error.
    /// Cancellation of <paramref name="cancel"/> means the user interrupted the cell.
    /// </summary>
    Task<ExecutionOutcome> ExecuteAsync(ExecutionRequest request, IExecutionOutput output, CancellationToken cancel);

    /// <summary>
    /// One of execute_request's user_expressions, evaluated after its code ran: the value's MIME bundle or one error.
    /// It must leave no visible trace (no execution count, no outputs, no new variables); cancellation of
    /// <paramref name="cancel"/> means the user interrupted it.
    /// </summary>
    Task<ExpressionResult> EvaluateExpressionAsync(string expression, CancellationToken cancel);

    /// <summary>is_complete_request.</summary>
    CompletenessResult IsComplete(string code);

    /// <summary>complete_request; positions are UTF-16 indices.</summary>
    CompletionResult Complete(string code, int cursor);

    /// <summary>inspect_request; null when nothing is found at the cursor.</summary>
    InspectionResult? Inspect(string code, int cursor, int detailLevel);

    /// <summary>Drops all state (shutdown with restart, or before the process exits).</summary>
    void Reset();
}

/// <summary>language_info and the rest of kernel_info_reply that depends on the language.</summary>
public sealed record KernelInfo(
    string Implementation,
    string ImplementationVersion,
    string Banner,
    LanguageInfo Language,
    IReadOnlyList<HelpLink>? HelpLinks = null);

public sealed record LanguageInfo(
    string Name,
    string Version,
    string MimeType,
    string FileExtension,
    string PygmentsLexer,
    string CodeMirrorMode);

public sealed record HelpLink(string Text, string Url);

/// <summary>One execute_request as the interpreter sees it.</summary>
public sealed record ExecutionRequest(string Code, bool Silent, bool StoreHistory, bool AllowStdin, int ExecutionCount);

/// <summary>
/// A MIME bundle (mime type → data). Text types are strings; binary types (image/png) are base64 strings;
/// JSON types (application/vnd.plotly.v1+json) are System.Text.Json.Nodes.JsonNode values.
/// </summary>
public sealed class MimeBundle : Dictionary<string, object>
{
    public MimeBundle() : base(StringComparer.Ordinal) { }
    public Dictionary<string, object> Metadata { get; } = new(StringComparer.Ordinal);
}

/// <summary>The channel back to the frontend during one execution.</summary>
public interface IExecutionOutput
{
    /// <summary>stream message; name is "stdout" or "stderr".</summary>
    void Stream(string name, string text);

    /// <summary>display_data; with a displayId the output can be replaced later by <see cref="UpdateDisplay"/>.</summary>
    void Display(MimeBundle data, string? displayId = null);

    /// <summary>update_display_data for an earlier display with the same id.</summary>
    void UpdateDisplay(MimeBundle data, string displayId);

    /// <summary>clear_output.</summary>
    void ClearOutput(bool wait);

    /// <summary>input_request on the stdin channel; throws InvalidOperationException when the frontend disallows stdin.</summary>
    string ReadInput(string prompt, bool password);
}

public enum ExecutionStatus { Ok, Error, Aborted }

/// <summary>
/// The end of one execution: ok (with an optional execute_result value) or one error. <see cref="Payloads"/> go
/// into execute_reply's payload list (e.g. help shown in the pager): <c>ExecutionOutcome.Ok() with { Payloads = [...] }</c>.
/// </summary>
public sealed record ExecutionOutcome(ExecutionStatus Status, MimeBundle? Result = null, ExecutionError? Error = null)
{
    public IReadOnlyList<ExecutionPayload> Payloads { get; init; } = [];

    public static ExecutionOutcome Ok(MimeBundle? result = null) => new(ExecutionStatus.Ok, result);
    public static ExecutionOutcome Failed(ExecutionError error) => new(ExecutionStatus.Error, null, error);
}

/// <summary>The value of one user expression (<see cref="Data"/>) or why it has none (<see cref="Error"/>).</summary>
public sealed record ExpressionResult(MimeBundle? Data, ExecutionError? Error)
{
    public static ExpressionResult Ok(MimeBundle data) => new(data, null);
    public static ExpressionResult Failed(ExecutionError error) => new(null, error);
}

public sealed record ExecutionError(string Name, string Value, IReadOnlyList<string> Traceback);

public enum Completeness { Complete, Incomplete, Invalid, Unknown }

public sealed record CompletenessResult(Completeness Status, string Indent = "");

/// <summary>complete_reply: matches replace code[Start..End).</summary>
public sealed record CompletionResult(IReadOnlyList<string> Matches, int Start, int End, IReadOnlyList<CompletionItemInfo>? Items = null);

/// <summary>One entry of the _jupyter_types_experimental metadata that JupyterLab shows.</summary>
public sealed record CompletionItemInfo(string Text, string Type, string? Signature, int Start, int End);

public sealed record InspectionResult(MimeBundle Data);
