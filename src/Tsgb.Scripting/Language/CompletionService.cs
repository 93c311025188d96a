using System.Collections.Immutable;
using System.Text;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using TsgbKit.Jupyter;
using TsgbKit.Scripting.NuGet;

namespace TsgbKit.Scripting.Language;

/// <summary>is_complete, completion and inspection from Roslyn's syntax and semantic model.</summary>
internal static class CompletionService
{
    private static readonly SymbolDisplayFormat s_signature = SymbolDisplayFormat.MinimallyQualifiedFormat
        .WithMemberOptions(SymbolDisplayMemberOptions.IncludeParameters | SymbolDisplayMemberOptions.IncludeType |
                           SymbolDisplayMemberOptions.IncludeContainingType | SymbolDisplayMemberOptions.IncludeRef)
        .WithParameterOptions(SymbolDisplayParameterOptions.IncludeType | SymbolDisplayParameterOptions.IncludeName |
                              SymbolDisplayParameterOptions.IncludeDefaultValue | SymbolDisplayParameterOptions.IncludeParamsRefOut)
        .WithKindOptions(SymbolDisplayKindOptions.IncludeTypeKeyword | SymbolDisplayKindOptions.IncludeNamespaceKeyword);

    /// <summary>Code prepared for Roslyn: magic lines and nuget directives blanked (same positions).</summary>
    private static string Prepare(string code) => NuGetDirectives.Extract(CellText.MaskMagics(code)).Code;

    public static CompletenessResult IsComplete(string code)
    {
        if (HelpRequest.TryParse(code, out _)) return new CompletenessResult(Completeness.Complete); // runs as help
        // A lone magic line is complete.
        var text = Prepare(code);
        if (string.IsNullOrWhiteSpace(text)) return new CompletenessResult(Completeness.Complete);
        var tree = CSharpSyntaxTree.ParseText(text, CSharpInterpreter.ParseOptions);
        if (!SyntaxFactory.IsCompleteSubmission(tree))
        {
            var depth = 0;
            foreach (var t in tree.GetRoot().DescendantTokens())
            {
                if (t.IsKind(SyntaxKind.OpenBraceToken) && !t.IsMissing) depth++;
                else if (t.IsKind(SyntaxKind.CloseBraceToken) && !t.IsMissing) depth--;
            }
            return new CompletenessResult(Completeness.Incomplete, new string(' ', 4 * Math.Max(0, depth)));
        }
        var errors = tree.GetDiagnostics().Where(d => d.Severity == DiagnosticSeverity.Error).ToList();
        if (errors.Count == 0) return new CompletenessResult(Completeness.Complete);
        // A missing ';' at the very end is what more typing fixes; everything else is invalid.
        if (errors.All(e => e.Id == "CS1002" && e.Location.SourceSpan.Start >= text.TrimEnd().Length))
            return new CompletenessResult(Completeness.Incomplete, "");
        return new CompletenessResult(Completeness.Invalid);
    }

    private static bool IsIdentifierChar(char c) => char.IsLetterOrDigit(c) || c == '_';

    public static CompletionResult Complete(CSharpInterpreter interpreter, string code, int cursor)
    {
        cursor = Math.Clamp(cursor, 0, code.Length);

        // Magic names on a "#!" line at the top of the cell.
        var lineStart = code.LastIndexOf('\n', Math.Max(0, cursor - 1)) + 1;
        if (cursor > 0 && code[cursor - 1] == '\n') lineStart = cursor;
        var linePrefix = code[lineStart..cursor];
        if (System.Text.RegularExpressions.Regex.Match(linePrefix, @"^\s*#!(?<name>\S*)$") is { Success: true } magic &&
            string.IsNullOrWhiteSpace(CellText.MaskMagics(code[..lineStart])))
        {
            var namePrefix = magic.Groups["name"].Value;
            var from = cursor - namePrefix.Length - 2;
            var magicItems = interpreter.Magics.All.Where(m => m.Name.StartsWith(namePrefix, StringComparison.Ordinal))
                .Select(m => new CompletionItemInfo("#!" + m.Name, "magic", m.Help, from, cursor)).ToList();
            return new CompletionResult(magicItems.Select(m => m.Text).ToList(), from, cursor, magicItems);
        }

        var text = Prepare(code);
        var start = cursor;
        while (start > 0 && IsIdentifierChar(text[start - 1])) start--;
        var end = cursor;
        var prefix = text[start..cursor];
        if (start > 0 && start < cursor && char.IsDigit(text[start])) return new CompletionResult([], cursor, cursor);

        var (compilation, tree) = interpreter.CompileForAnalysis(text);
        var model = compilation.GetSemanticModel(tree);
        var root = tree.GetRoot();

        // Inside a string or a comment: nothing.
        var trivia = root.FindTrivia(Math.Max(0, cursor - 1));
        if (trivia.IsKind(SyntaxKind.SingleLineCommentTrivia) || trivia.IsKind(SyntaxKind.MultiLineCommentTrivia))
            return new CompletionResult([], cursor, cursor);
        var tokenAtCursor = root.FindToken(Math.Max(0, cursor - 1));
        if (tokenAtCursor.IsKind(SyntaxKind.StringLiteralToken) && tokenAtCursor.Span.Contains(Math.Max(0, cursor - 1)) && tokenAtCursor.Span.End != start)
            return new CompletionResult([], cursor, cursor);

        IEnumerable<ISymbol> symbols;
        var keywords = Enumerable.Empty<string>();
        var dot = start - 1;
        while (dot >= 0 && char.IsWhiteSpace(text[dot])) dot--;
        if (dot >= 0 && text[dot] == '.' && !(dot > 0 && char.IsDigit(text[dot - 1]) && start == cursor && false))
        {
            var dotToken = root.FindToken(dot);
            var left = dotToken.Parent switch
            {
                MemberAccessExpressionSyntax ma => ma.Expression,
                QualifiedNameSyntax qn => qn.Left,
                MemberBindingExpressionSyntax => null,
                _ => null,
            };
            if (left is null) return new CompletionResult([], start, end);
            symbols = MembersOf(model, left, start);
        }
        else
        {
            symbols = model.LookupSymbols(start).Where(s => s.CanBeReferencedByName || s.Kind == SymbolKind.Namespace);
            keywords = Keywords;
        }

        var items = new List<CompletionItemInfo>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var s in symbols
                     .Where(s => s.Name.StartsWith(prefix, StringComparison.OrdinalIgnoreCase))
                     .Where(s => !s.Name.StartsWith("<", StringComparison.Ordinal) && !s.Name.StartsWith("__", StringComparison.Ordinal) && s.Name.Length > 0)
                     .Where(s => s is not IMethodSymbol m || m.MethodKind is MethodKind.Ordinary or MethodKind.ReducedExtension or MethodKind.LocalFunction)
                     .Where(s => !IsHidden(s))
                     .OrderBy(s => s.Name.StartsWith(prefix, StringComparison.Ordinal) ? 0 : 1)
                     .ThenBy(s => s.Name, StringComparer.OrdinalIgnoreCase))
        {
            if (!seen.Add(s.Name)) continue;
            items.Add(new CompletionItemInfo(s.Name, KindOf(s), SafeDisplay(s), start, end));
        }
        foreach (var k in keywords.Where(k => k.StartsWith(prefix, StringComparison.Ordinal)))
            if (seen.Add(k)) items.Add(new CompletionItemInfo(k, "keyword", null, start, end));

        return new CompletionResult(items.Select(i => i.Text).ToList(), start, end, items);
    }

    private static IEnumerable<ISymbol> MembersOf(SemanticModel model, ExpressionSyntax left, int position)
    {
        var info = model.GetSymbolInfo(left);
        var symbol = info.Symbol ?? (info.CandidateSymbols.Length > 0 ? info.CandidateSymbols[0] : null);
        switch (symbol)
        {
            case INamespaceSymbol ns:
                return ns.GetMembers().Where(m => m is INamespaceSymbol || model.IsAccessible(position, m));
            case INamedTypeSymbol type when IsTypeReference(model, left, type):
                // Static access, unless the name also denotes a value (Color Color).
                return model.LookupStaticMembers(position, type).Concat(type.GetTypeMembers().Where(t => model.IsAccessible(position, t)));
        }
        var t = model.GetTypeInfo(left).Type;
        if (t is null || t.TypeKind == TypeKind.Error) return [];
        return model.LookupSymbols(position, t, includeReducedExtensionMethods: true).Where(s => !s.IsStatic || s is IMethodSymbol { MethodKind: MethodKind.ReducedExtension });
    }

    /// <summary>[EditorBrowsable(Never)] members stay out of completion lists.</summary>
    private static bool IsHidden(ISymbol s)
    {
        foreach (var a in s.GetAttributes())
            if (a.AttributeClass?.Name == "EditorBrowsableAttribute" && a.ConstructorArguments is [{ Value: 1 }]) return true;
        return false;
    }

    private static bool IsTypeReference(SemanticModel model, ExpressionSyntax left, INamedTypeSymbol type)
    {
        var bound = model.GetSymbolInfo(left).Symbol;
        return bound is INamedTypeSymbol;
    }

    private static string SafeDisplay(ISymbol s)
    {
        try { return s.ToDisplayString(s_signature); } catch { return s.Name; }
    }

    private static string KindOf(ISymbol s) => s switch
    {
        IMethodSymbol => "method",
        IPropertySymbol => "property",
        IFieldSymbol f when f.ContainingType?.IsScriptClass == true || f.ContainingType?.IsSubmissionClass() == true => "variable",
        IFieldSymbol => "field",
        IEventSymbol => "event",
        ILocalSymbol => "local",
        IParameterSymbol => "parameter",
        INamespaceSymbol => "namespace",
        INamedTypeSymbol t => t.TypeKind switch
        {
            TypeKind.Interface => "interface", TypeKind.Struct => "struct", TypeKind.Enum => "enum",
            TypeKind.Delegate => "delegate", _ => "class",
        },
        ITypeParameterSymbol => "type parameter",
        _ => s.Kind.ToString().ToLowerInvariant(),
    };

    private static bool IsSubmissionClass(this INamedTypeSymbol t) => t.Name.StartsWith("Submission#", StringComparison.Ordinal);

    private static readonly string[] Keywords = SyntaxFacts.GetKeywordKinds()
        .Concat(SyntaxFacts.GetContextualKeywordKinds())
        .Select(SyntaxFacts.GetText)
        .Where(k => k.Length > 0 && char.IsLetter(k[0]))
        .Distinct()
        .Order(StringComparer.Ordinal)
        .ToArray();

    // ---- inspect ----

    public static InspectionResult? Inspect(CSharpInterpreter interpreter, string code, int cursor, int detailLevel)
    {
        cursor = Math.Clamp(cursor, 0, code.Length);
        var text = Prepare(code);
        var (compilation, tree) = interpreter.CompileForAnalysis(text);
        var model = compilation.GetSemanticModel(tree);
        var root = tree.GetRoot();

        // The identifier at or just before the cursor; inside an argument list, the method being called.
        var token = root.FindToken(Math.Max(0, cursor - 1));
        if (!token.IsKind(SyntaxKind.IdentifierToken) && cursor < text.Length) token = root.FindToken(cursor);
        var symbols = SymbolsAt(model, token);
        if (symbols.Count == 0)
        {
            var call = token.Parent?.AncestorsAndSelf().OfType<InvocationExpressionSyntax>().FirstOrDefault();
            if (call is not null) symbols = SymbolsFor(model, call.Expression);
        }
        if (symbols.Count == 0) return null;

        var main = symbols[0];
        var plain = new StringBuilder();
        var md = new StringBuilder("```csharp\n");
        foreach (var s in symbols.Take(detailLevel > 0 ? 50 : 10))
        {
            plain.AppendLine(SafeDisplay(s));
            md.AppendLine(SafeDisplay(s));
        }
        if (symbols.Count > (detailLevel > 0 ? 50 : 10)) { plain.AppendLine($"(+{symbols.Count - 10} overloads)"); }
        md.AppendLine("```");
        var doc = DocumentationLookup.Summary(main, compilation);
        if (doc is not null)
        {
            plain.AppendLine().AppendLine(doc.Summary);
            md.AppendLine().AppendLine(doc.Summary);
            if (doc.Returns is { Length: > 0 } r) { plain.AppendLine().Append("Returns: ").AppendLine(r); md.AppendLine().Append("**Returns:** ").AppendLine(r); }
        }
        if (detailLevel > 0 && main is ILocalSymbol or IFieldSymbol && interpreter.Variables.TryGetValue(main.Name, out var value))
        {
            var preview = Formatting.MimeFormatter.PlainText(value);
            plain.AppendLine().Append("Value: ").AppendLine(preview);
        }
        return new InspectionResult(new MimeBundle { ["text/plain"] = plain.ToString().TrimEnd(), ["text/markdown"] = md.ToString().TrimEnd() });
    }

    private static List<ISymbol> SymbolsAt(SemanticModel model, SyntaxToken token)
    {
        if (token.Parent is null) return [];
        var node = token.Parent;
        var declared = model.GetDeclaredSymbol(node);
        if (declared is not null && (node is not CompilationUnitSyntax)) return [declared];
        if (node is ExpressionSyntax or TypeSyntax) return SymbolsFor(model, node);
        return [];
    }

    private static List<ISymbol> SymbolsFor(SemanticModel model, SyntaxNode node)
    {
        var info = model.GetSymbolInfo(node);
        if (info.Symbol is { } s) return [s];
        if (info.CandidateSymbols.Length > 0) return [.. info.CandidateSymbols];
        if (node is ExpressionSyntax e)
        {
            var group = model.GetMemberGroup(e);
            if (group.Length > 0) return [.. group];
            var type = model.GetTypeInfo(e).Type;
            if (type is not null && type.TypeKind != TypeKind.Error && node is not LiteralExpressionSyntax) return [type];
        }
        return [];
    }
}
