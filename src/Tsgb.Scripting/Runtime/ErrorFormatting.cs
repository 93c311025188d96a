using System.Diagnostics;
using System.Reflection;
using System.Text.RegularExpressions;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Text;
using TsgbKit.Jupyter;

namespace TsgbKit.Scripting;

internal static partial class ErrorFormatting
{
    /// <summary>One error for all compile diagnostics, with the cell's own line and column numbers.</summary>
    public static ExecutionError CompilationError(IReadOnlyList<Diagnostic> errors, string originalCode, InterruptInstrumenter instrumenter)
    {
        var text = SourceText.From(originalCode);
        var lines = errors
            .OrderBy(d => d.Location.SourceSpan.Start)
            .Select(d =>
            {
                var message = d.GetMessage(System.Globalization.CultureInfo.InvariantCulture);
                if (!d.Location.IsInSource) return $"error {d.Id}: {message}";
                var pos = Math.Clamp(instrumenter.MapToOriginal(d.Location.SourceSpan.Start), 0, originalCode.Length);
                var lp = text.Lines.GetLinePosition(pos);
                return $"({lp.Line + 1},{lp.Character + 1}): error {d.Id}: {message}";
            })
            .Distinct()
            .ToList();
        return new ExecutionError("CompilationError", lines[0], lines);
    }

    /// <summary>One error for an exception thrown by a cell; frames in cells show the cell's line numbers.</summary>
    public static ExecutionError RuntimeError(Exception exception, Func<string, string> cellLabel)
    {
        var e = Unwrap(exception);
        var traceback = new List<string> { $"{e.GetType().FullName}: {e.Message}" };
        traceback.AddRange(Frames(e, cellLabel));
        for (var inner = e.InnerException; inner is not null; inner = inner.InnerException)
        {
            traceback.Add($" ---> {inner.GetType().FullName}: {inner.Message}");
            traceback.AddRange(Frames(inner, cellLabel));
        }
        return new ExecutionError(e.GetType().Name, e.Message, traceback);
    }

    private static Exception Unwrap(Exception e)
    {
        while (true)
        {
            if (e is TargetInvocationException { InnerException: { } ti }) { e = ti; continue; }
            if (e is AggregateException { InnerExceptions.Count: 1 } ae) { e = ae.InnerExceptions[0]; continue; }
            return e;
        }
    }

    [GeneratedRegex(@"^<submission (\d+)>$")]
    private static partial Regex SubmissionPath();

    [GeneratedRegex(@"^Submission#\d+\+?")]
    private static partial Regex SubmissionType();

    private static IEnumerable<string> Frames(Exception e, Func<string, string> cellLabel)
    {
        StackFrame[] frames;
        try { frames = new StackTrace(e, true).GetFrames(); } catch { yield break; }
        foreach (var f in frames)
        {
            var method = f.GetMethod();
            if (method is null) continue;
            var type = method.DeclaringType;
            var typeName = type?.FullName ?? "";
            var file = f.GetFileName();
            var inScript = file is not null && SubmissionPath().IsMatch(Path.GetFileName(file)) || typeName.StartsWith("Submission#", StringComparison.Ordinal);
            if (!inScript)
            {
                // Roslyn's own machinery below the cell is noise.
                if (typeName.StartsWith("Microsoft.CodeAnalysis.Scripting", StringComparison.Ordinal)) yield break;
                if (typeName.StartsWith("System.Runtime.CompilerServices.", StringComparison.Ordinal) ||
                    typeName.StartsWith("System.Runtime.ExceptionServices.", StringComparison.Ordinal) ||
                    typeName.StartsWith("System.Threading.ExecutionContext", StringComparison.Ordinal)) continue;
                yield return $"   at {Describe(method)}";
                continue;
            }
            var name = ScriptMethodName(method);
            var line = f.GetFileLineNumber();
            var where = $"{(file is null ? "cell" : cellLabel(Path.GetFileName(file)))} line {line}";
            yield return line > 0 ? $"   at {name} in {where}" : $"   at {name}";
        }
    }

    private static string ScriptMethodName(MethodBase method)
    {
        var type = method.DeclaringType;
        var typeName = SubmissionType().Replace(type?.FullName ?? "", "").Replace('+', '.');
        typeName = Regex.Replace(typeName, @"(^|\.)<>c(__DisplayClass[\d_]+)?$", "");
        if (typeName.Contains("<<Initialize>>") || (typeName.Length == 0 && method.Name == "<Initialize>"))
            return "<cell>";
        // Compiler-generated names: <Outer>g__Local|0_0, <<Initialize>>b__0_0, <Method>d__3.MoveNext
        typeName = Regex.Replace(typeName, @"\.?<([^>]*)>d__\d+$", m => "." + m.Groups[1].Value).Trim('.');
        var methodName = method.Name;
        var local = Regex.Match(methodName, @"g__([^|]+)\|");
        if (local.Success) methodName = local.Groups[1].Value;
        else if (methodName.Contains("b__")) methodName = "<lambda>";
        if (methodName == "MoveNext" && typeName.Length > 0) return typeName + "()";
        return (typeName.Length > 0 ? typeName + "." : "") + methodName + "(" +
               string.Join(", ", method.GetParameters().Select(p => p.ParameterType.Name)) + ")";
    }

    private static string Describe(MethodBase method)
    {
        var type = method.DeclaringType is { } t ? (t.FullName ?? t.Name).Replace('+', '.') + "." : "";
        return $"{type}{method.Name}({string.Join(", ", method.GetParameters().Select(p => p.ParameterType.Name))})";
    }
}
