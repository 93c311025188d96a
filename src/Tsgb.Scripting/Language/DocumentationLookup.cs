using System.Collections.Concurrent;
using System.Text;
using System.Text.RegularExpressions;
using System.Xml;
using System.Xml.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;

namespace TsgbKit.Scripting.Language;

internal sealed record DocSummary(string Summary, string? Returns);

/// <summary>
/// XML documentation of symbols: framework docs from the reference pack's XML files (the runtime references
/// implementation assemblies, which have none), package docs from the .xml beside an assembly, and the ///
/// comments of symbols declared in cells.
/// </summary>
internal static partial class DocumentationLookup
{
    private static readonly ConcurrentDictionary<string, Dictionary<string, string>?> s_files = new(StringComparer.Ordinal);

    public static DocumentationProvider? ProviderFor(string assemblyPath)
    {
        var xml = Path.ChangeExtension(assemblyPath, ".xml");
        return File.Exists(xml) ? new FileDocumentationProvider(xml) : null;
    }

    private sealed class FileDocumentationProvider(string path) : DocumentationProvider
    {
        protected override string? GetDocumentationForSymbol(string documentationMemberID, System.Globalization.CultureInfo preferredCulture, CancellationToken cancellationToken = default) =>
            Load(path) is { } map && map.TryGetValue(documentationMemberID, out var xml) ? xml : null;

        public override bool Equals(object? obj) => obj is FileDocumentationProvider o && o.Path == Path;
        public override int GetHashCode() => Path.GetHashCode(StringComparison.Ordinal);
        private string Path => path;
    }

    /// <summary>The reference pack folder of the running framework (null when the SDK packs are not installed).</summary>
    private static readonly Lazy<string?> s_refPack = new(() =>
    {
        var shared = Path.GetDirectoryName(typeof(object).Assembly.Location)!; // .../shared/Microsoft.NETCore.App/10.0.x
        var root = Path.GetFullPath(Path.Combine(shared, "..", "..", ".."));
        var packs = Path.Combine(root, "packs", "Microsoft.NETCore.App.Ref");
        if (!Directory.Exists(packs)) return null;
        var tfm = $"net{Environment.Version.Major}.0";
        var exact = Path.Combine(packs, Path.GetFileName(shared), "ref", tfm);
        if (Directory.Exists(exact)) return exact;
        return Directory.GetDirectories(packs).Select(d => Path.Combine(d, "ref", tfm)).Where(Directory.Exists)
            .OrderByDescending(d => d, StringComparer.Ordinal).FirstOrDefault();
    });

    public static DocSummary? Summary(ISymbol symbol, Compilation compilation)
    {
        symbol = symbol.OriginalDefinition;
        if (symbol is IMethodSymbol { ReducedFrom: { } reduced }) symbol = reduced;
        string? xml = null;
        if (symbol.DeclaringSyntaxReferences.Length > 0) xml = FromSource(symbol);
        else
        {
            try { xml = symbol.GetDocumentationCommentXml(); } catch { }
            if (string.IsNullOrWhiteSpace(xml)) xml = FromFiles(symbol, compilation);
        }
        return string.IsNullOrWhiteSpace(xml) ? null : Parse(xml);
    }

    private static string? FromSource(ISymbol symbol)
    {
        var node = symbol.DeclaringSyntaxReferences[0].GetSyntax();
        // The declaration that carries the comment: the member, or the statement (local function, top-level variable).
        var owner = node.AncestorsAndSelf().FirstOrDefault(n =>
            n is Microsoft.CodeAnalysis.CSharp.Syntax.MemberDeclarationSyntax or Microsoft.CodeAnalysis.CSharp.Syntax.StatementSyntax) ?? node;
        var lines = owner.GetLeadingTrivia()
            .SelectMany(t => t.ToFullString().Split('\n'))
            .Select(l => l.Trim())
            .Where(l => l.StartsWith("///", StringComparison.Ordinal))
            .Select(l => l[3..]);
        var text = string.Join("\n", lines);
        return text.Length == 0 ? null : "<member>" + text + "</member>";
    }

    private static string? FromFiles(ISymbol symbol, Compilation compilation)
    {
        var id = symbol.GetDocumentationCommentId();
        if (id is null) return null;
        var candidates = new List<string>();
        if (symbol.ContainingAssembly is { } asm && compilation.GetMetadataReference(asm) is PortableExecutableReference { FilePath: { } path })
        {
            candidates.Add(Path.ChangeExtension(path, ".xml"));
            if (s_refPack.Value is { } rp) candidates.Add(Path.Combine(rp, Path.GetFileNameWithoutExtension(path) + ".xml"));
        }
        var asmName = symbol.ContainingAssembly?.Name ?? "";
        var isFramework = asmName.StartsWith("System", StringComparison.Ordinal) || asmName is "mscorlib" or "netstandard" ||
                          asmName.StartsWith("Microsoft.Win32", StringComparison.Ordinal) || asmName.StartsWith("Microsoft.VisualBasic", StringComparison.Ordinal) ||
                          asmName == "Microsoft.CSharp";
        if (isFramework && s_refPack.Value is { } refPack)
        {
            var ns = symbol.ContainingNamespace?.ToDisplayString() ?? "";
            // Likely files first (namespace-named), then System.Runtime, then all of them.
            for (var n = ns; n.Length > 0; n = n.Contains('.') ? n[..n.LastIndexOf('.')] : "")
                candidates.Add(Path.Combine(refPack, n + ".xml"));
            candidates.Add(Path.Combine(refPack, "System.Runtime.xml"));
            candidates.AddRange(Directory.GetFiles(refPack, "*.xml").Order(StringComparer.Ordinal));
        }
        foreach (var file in candidates.Distinct())
        {
            var map = Load(file);
            if (map is not null && map.TryGetValue(id, out var xml)) return xml;
        }
        return null;
    }

    private static Dictionary<string, string>? Load(string file) => s_files.GetOrAdd(file, f =>
    {
        if (!File.Exists(f)) return null;
        try
        {
            var map = new Dictionary<string, string>(StringComparer.Ordinal);
            using var reader = XmlReader.Create(f, new XmlReaderSettings { DtdProcessing = DtdProcessing.Ignore });
            while (reader.ReadToFollowing("member"))
            {
                var name = reader.GetAttribute("name");
                var xml = reader.ReadOuterXml();
                if (name is not null) map.TryAdd(name, xml);
            }
            return map;
        }
        catch { return null; }
    });

    private static DocSummary? Parse(string xml)
    {
        try
        {
            var doc = XElement.Parse(xml, LoadOptions.PreserveWhitespace);
            var summary = doc.Element("summary");
            if (summary is null) return null;
            var returns = doc.Element("returns");
            return new DocSummary(Text(summary), returns is null ? null : Text(returns));
        }
        catch { return null; }
    }

    private static string Text(XElement e)
    {
        var sb = new StringBuilder();
        foreach (var n in e.Nodes())
        {
            switch (n)
            {
                case XText t: sb.Append(t.Value); break;
                case XElement { Name.LocalName: "see" or "seealso" } see:
                    var cref = (string?)see.Attribute("cref") ?? (string?)see.Attribute("langword") ?? (string?)see.Attribute("href") ?? see.Value;
                    if (see.Value.Length > 0) cref = see.Value;
                    sb.Append(ShortCref(cref));
                    break;
                case XElement { Name.LocalName: "paramref" or "typeparamref" } pr: sb.Append((string?)pr.Attribute("name")); break;
                case XElement { Name.LocalName: "para" } p: sb.Append('\n').Append(Text(p)).Append('\n'); break;
                case XElement other: sb.Append(Text(other)); break;
            }
        }
        return Whitespace().Replace(sb.ToString(), " ").Trim();
    }

    private static string ShortCref(string cref)
    {
        var kind = cref.Length > 2 && cref[1] == ':' ? cref[0] : 'T';
        if (cref.Length > 2 && cref[1] == ':') cref = cref[2..];
        var paren = cref.IndexOf('(');
        if (paren >= 0) cref = cref[..paren];
        cref = Arity().Replace(cref, "");
        var parts = cref.Split('.');
        return kind is 'M' or 'P' or 'F' or 'E' && parts.Length >= 2 ? parts[^2] + "." + parts[^1] : parts[^1];
    }

    [GeneratedRegex(@"``?\d+")]
    private static partial Regex Arity();

    [GeneratedRegex(@"[ \t\r\n]+")]
    private static partial Regex Whitespace();
}
