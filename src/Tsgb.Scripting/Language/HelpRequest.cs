using System.Diagnostics.CodeAnalysis;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using TsgbKit.Jupyter;

namespace TsgbKit.Scripting.Language;

/// <summary>
/// IPython's help syntax: a cell that is only <c>symbol?</c> (or <c>symbol??</c> for more detail) pages what
/// inspect shows for the symbol instead of running as C#.
/// </summary>
internal sealed record HelpRequest(string Target, int DetailLevel)
{
    public const string NotFoundErrorName = "SymbolNotFound";

    public static bool TryParse(string code, [NotNullWhen(true)] out HelpRequest? help)
    {
        help = null;
        var text = code.Trim();
        if (!text.EndsWith('?')) return false;
        var detail = text.EndsWith("??", StringComparison.Ordinal) ? 1 : 0;
        var target = text[..^(detail + 1)].TrimEnd();
        if (target.Length == 0 || target.EndsWith('?') || target.Contains('\n')) return false;
        // A trailing '?' can be C# (`o as int?`): only code that is not C# as a whole is help, and only for a
        // target that is C# on its own, so that a typo still gets the compiler's error.
        if (!HasSyntaxErrors(text) || !IsExpressionOrType(target)) return false;
        help = new HelpRequest(target, detail);
        return true;
    }

    /// <summary>A page with inspect's text, or an error naming the target when inspect finds nothing.</summary>
    public ExecutionOutcome Answer(CSharpInterpreter interpreter)
    {
        if (interpreter.Inspect(Target, Target.Length, DetailLevel)?.Data.GetValueOrDefault("text/plain") is string { Length: > 0 } text)
            return ExecutionOutcome.Ok() with { Payloads = [ExecutionPayload.Page(new MimeBundle { ["text/plain"] = text })] };
        var message = $"No symbol named '{Target}' was found, so there is no help to show.";
        return ExecutionOutcome.Failed(new ExecutionError(NotFoundErrorName, message, [$"{NotFoundErrorName}: {message}"]));
    }

    private static bool HasSyntaxErrors(string code) =>
        CSharpSyntaxTree.ParseText(code, CSharpInterpreter.ParseOptions).GetDiagnostics().Any(d => d.Severity == DiagnosticSeverity.Error);

    private static bool IsExpressionOrType(string target) =>
        !SyntaxFactory.ParseExpression(target, options: CSharpInterpreter.ParseOptions).ContainsDiagnostics ||
        !SyntaxFactory.ParseTypeName(target, options: CSharpInterpreter.ParseOptions).ContainsDiagnostics;
}
