using System.ComponentModel;
using TsgbKit.Jupyter;

namespace TsgbKit.Scripting;

/// <summary>
/// Process-wide state the script code reaches without a reference to the interpreter: the interrupt check that
/// instrumented loops call, and the output channel of the executing (or last executed) cell.
/// </summary>
[EditorBrowsable(EditorBrowsableState.Never)]
public static class ScriptRuntime
{
    private static readonly AsyncLocal<StrongBox> s_token = new();
    private static volatile IExecutionOutput? s_output;
    private static volatile CSharpInterpreter? s_interpreter;

    private sealed class StrongBox(CancellationToken token) { public readonly CancellationToken Token = token; }

    private static volatile bool s_interruptPending;

    /// <summary>Called by instrumented cells at the start of every loop iteration and method body.</summary>
    public static void CheckInterrupt()
    {
        // Cheap in tight loops: the cell's token (an AsyncLocal) is read only once some cell was interrupted.
        if (s_interruptPending) CheckToken();
    }

    internal static void SignalInterrupt() => s_interruptPending = true;

    internal static void ClearInterrupt() => s_interruptPending = false;

    private static void CheckToken()
    {
        var box = s_token.Value;
        if (box is not null && box.Token.IsCancellationRequested)
            throw new OperationCanceledException("The cell was interrupted.", box.Token);
    }

    /// <summary>The cancellation token of the cell the calling code belongs to (none outside cells).</summary>
    public static CancellationToken CurrentCancellationToken => s_token.Value?.Token ?? CancellationToken.None;

    internal static void EnterCell(CancellationToken token) => s_token.Value = new StrongBox(token);

    /// <summary>The output of the executing cell, or of the last one when none runs.</summary>
    internal static IExecutionOutput? Output => s_output;

    internal static CSharpInterpreter? Interpreter => s_interpreter;

    internal static void SetOutput(CSharpInterpreter interpreter, IExecutionOutput output)
    {
        s_interpreter = interpreter;
        s_output = output;
    }

    internal static void Clear(CSharpInterpreter interpreter)
    {
        if (s_interpreter == interpreter) { s_output = null; s_interpreter = null; }
    }
}
