using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using System.Text;

namespace TsgbKit.Scripting;

/// <summary>
/// Inserts an interrupt check at the start of every loop body and every method / local function / lambda /
/// accessor body of a cell, so that a cancelled cell stops even in <c>while (true) {}</c>. Insertions contain no
/// line breaks: line numbers stay those of the cell, and <see cref="MapToOriginal"/> maps positions back.
/// </summary>
internal sealed class InterruptInstrumenter
{
    public const string Check = "global::TsgbKit.Scripting.ScriptRuntime.CheckInterrupt();";

    private readonly List<(int Position, int Length)> _insertions = []; // original position, inserted length

    public string Code { get; }

    public InterruptInstrumenter(string code, CSharpParseOptions parseOptions)
    {
        var tree = CSharpSyntaxTree.ParseText(code, parseOptions);
        var edits = new List<(int Pos, string Text)>();
        foreach (var node in tree.GetRoot().DescendantNodes())
        {
            switch (node)
            {
                case WhileStatementSyntax w: AddBody(w.Statement); break;
                case DoStatementSyntax d: AddBody(d.Statement); break;
                case ForStatementSyntax f: AddBody(f.Statement); break;
                case CommonForEachStatementSyntax fe: AddBody(fe.Statement); break;
                case BaseMethodDeclarationSyntax m when m.Body is not null: AddBlock(m.Body); break;
                case LocalFunctionStatementSyntax lf when lf.Body is not null: AddBlock(lf.Body); break;
                case AnonymousFunctionExpressionSyntax af when af.Block is not null: AddBlock(af.Block); break;
                case AccessorDeclarationSyntax a when a.Body is not null: AddBlock(a.Body); break;
            }
        }

        void AddBlock(BlockSyntax block)
        {
            if (block.OpenBraceToken.IsMissing) return;
            edits.Add((block.OpenBraceToken.Span.End, " " + Check));
        }

        void AddBody(StatementSyntax body)
        {
            if (body is BlockSyntax b) { AddBlock(b); return; }
            if (body.IsMissing || body.Span.IsEmpty) return;
            edits.Add((body.SpanStart, "{ " + Check + " "));
            edits.Add((body.Span.End, " }"));
        }

        edits.Sort((a, b) => a.Pos.CompareTo(b.Pos));
        var sb = new StringBuilder(code.Length + edits.Count * 60);
        var last = 0;
        foreach (var (pos, text) in edits)
        {
            sb.Append(code, last, pos - last);
            sb.Append(text);
            _insertions.Add((pos, text.Length));
            last = pos;
        }
        sb.Append(code, last, code.Length - last);
        Code = sb.ToString();
    }

    /// <summary>Maps a position in <see cref="Code"/> to the position in the original cell.</summary>
    public int MapToOriginal(int instrumented)
    {
        var shift = 0;
        foreach (var (pos, len) in _insertions)
        {
            var start = pos + shift; // where the insertion begins in the instrumented text
            if (instrumented < start) break;
            if (instrumented < start + len) return pos;
            shift += len;
        }
        return instrumented - shift;
    }
}
