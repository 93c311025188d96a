using Microsoft.CodeAnalysis.Scripting;

namespace TsgbKit.Scripting;

/// <summary>
/// Releases the values of script variables that a later declaration of the same name hides. Every submission keeps
/// its variables in fields of its own object, and the session keeps every submission's object: a cell such as
/// <c>var m = model.Explain(...)</c> run a thousand times would otherwise keep a thousand explanations (and their
/// native tensors) alive although only the last <c>m</c> can be named. A shadowed field is set to its type's default
/// (null), nothing is disposed: code of an earlier cell that still reads the old field (a lambda or method declared
/// there) sees the default from then on.
/// </summary>
internal sealed class ShadowedVariables
{
    private readonly Dictionary<string, ScriptVariable> _latest = new(StringComparer.Ordinal);
    private int _seen;

    /// <summary>Forgets what was seen (after a reset of the session).</summary>
    public void Clear()
    {
        _latest.Clear();
        _seen = 0;
    }

    /// <summary>Releases what the variables declared since the last call shadow; returns how many were released.</summary>
    public int Release(ScriptState state)
    {
        var variables = state.Variables; // all submissions' variables, in declaration order
        if (variables.Length < _seen)
        {
            // A state that is not a continuation of the last one seen: start over from it.
            Clear();
        }
        var released = 0;
        for (var i = _seen; i < variables.Length; i++)
        {
            var variable = variables[i];
            if (_latest.TryGetValue(variable.Name, out var hidden) && !hidden.IsReadOnly)
            {
                try
                {
                    hidden.Value = null; // the type's default for value types
                    released++;
                }
                catch (Exception) { /* a field that refuses (init-only) keeps its value */ }
            }
            _latest[variable.Name] = variable;
        }
        _seen = variables.Length;
        return released;
    }
}
