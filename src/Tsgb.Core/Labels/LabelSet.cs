using System.Globalization;
using System.Text;
using System.Text.Json;
using TsgbKit.Errors;

namespace TsgbKit.Labels;

/// <summary>The one error raised when a label text or index cannot be resolved, or a label file cannot be read.</summary>
public sealed class LabelException : Exception, IUserError
{
    public LabelException(string message, IReadOnlyList<LabelMatch>? suggestions = null, Exception? inner = null) : base(message, inner)
    {
        Suggestions = suggestions ?? [];
    }

    /// <summary>Near matches offered in the message (empty where none apply).</summary>
    public IReadOnlyList<LabelMatch> Suggestions { get; }
}

/// <summary>How a text was matched to a class.</summary>
public enum LabelMatchKind
{
    /// <summary>The text was an integer class index.</summary>
    Index,
    /// <summary>The text equals a whole label (case-insensitive).</summary>
    Exact,
    /// <summary>The text equals one comma-separated synonym of a label.</summary>
    Synonym,
    /// <summary>The label contains the text as whole words.</summary>
    ContainsWord,
    /// <summary>The label contains the text somewhere.</summary>
    Contains,
    /// <summary>A near match offered in an error.</summary>
    Suggestion,
}

/// <summary>A class chosen for a text: its index, its label, and how it matched.</summary>
public sealed record LabelMatch(int Index, string Label, LabelMatchKind Kind)
{
    public override string ToString() => $"{Index} '{Label}'";
}

/// <summary>
/// The class names of a classifier, in output order. Each label may list comma-separated synonyms
/// ("great white shark, white shark, man-eater, ..."). <see cref="ImageNet"/> is built in; a user model carries its own
/// (<see cref="FromFile"/>, or the constructor).
/// </summary>
public sealed class LabelSet
{
    static readonly Lazy<LabelSet> ImageNetLabels = new(LoadImageNet);
    readonly string[][] _synonyms;

    /// <param name="labels">The labels, index 0 first.</param>
    /// <param name="name">A name used in messages ("ImageNet-1k").</param>
    /// <param name="ids">Optional identifiers, one per label (WordNet ids such as "n01440764" for ImageNet); they resolve too.</param>
    public LabelSet(IEnumerable<string> labels, string name = "labels", IEnumerable<string>? ids = null)
    {
        ArgumentNullException.ThrowIfNull(labels);
        Labels = labels.Select(l => l ?? throw new TsgbInputException("A label is null.")).ToArray();
        if (Labels.Count == 0) throw new TsgbInputException("A label set needs at least one label.");
        Name = name;
        if (ids is not null)
        {
            Ids = ids.ToArray();
            if (Ids.Count != Labels.Count)
                throw new TsgbInputException($"{Ids.Count} ids for {Labels.Count} labels.");
        }
        _synonyms = Labels.Select(SplitSynonyms).ToArray();
    }

    /// <summary>The 1000 ImageNet-1k classes in the standard order, in full synonym form ("tench, Tinca tinca", ...), with WordNet ids.</summary>
    public static LabelSet ImageNet => ImageNetLabels.Value;

    public string Name { get; }
    public IReadOnlyList<string> Labels { get; }
    public IReadOnlyList<string>? Ids { get; }
    public int Count => Labels.Count;
    public string this[int index] => Labels[CheckIndex(index)];

    /// <summary>The comma-separated synonyms of class <paramref name="index"/>.</summary>
    public IReadOnlyList<string> Synonyms(int index) => _synonyms[CheckIndex(index)];

    /// <summary>The first synonym of class <paramref name="index"/> ("great white shark"): a short name for titles.</summary>
    public string ShortName(int index) => _synonyms[CheckIndex(index)][0];

    /// <summary>Resolves <paramref name="text"/> to a class index; see <see cref="Match"/>.</summary>
    public int Resolve(string text, ReadOnlySpan<float> scores = default) => Match(text, scores).Index;

    /// <summary>
    /// Resolves <paramref name="text"/> to a class: an integer index (in range); else an exact whole label (case-insensitive);
    /// else an exact synonym; else among labels containing the text (whole words preferred) the one with the highest
    /// <paramref name="scores"/> entry (the first without scores). Ties among exact or synonym matches are broken the same way.
    /// No match throws a <see cref="LabelException"/> listing up to 5 near matches.
    /// </summary>
    public LabelMatch Match(string text, ReadOnlySpan<float> scores = default)
    {
        ArgumentNullException.ThrowIfNull(text);
        if (!scores.IsEmpty && scores.Length != Count)
            throw new TsgbInputException($"{scores.Length} scores given for the {Count} classes of {Name}.");
        var (candidates, kind) = MatchCandidates(text);
        return Pick(candidates, scores, kind);
    }

    /// <summary>
    /// True when <paramref name="text"/> names one class whatever the scores; false when the scores choose among
    /// several matching classes. Throws as <see cref="Match"/> does when nothing matches.
    /// </summary>
    internal bool NamesOneClass(string text) => MatchCandidates(text).Candidates.Count == 1;

    /// <summary>The classes <paramref name="text"/> matches at the first level of <see cref="Match"/> that has any.</summary>
    private (List<int> Candidates, LabelMatchKind Kind) MatchCandidates(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var query = Normalize(text);
        if (query.Length == 0) throw new LabelException($"An empty class name cannot be resolved among the {Count} classes of {Name}.");

        // (1) exact whole label
        var exact = Candidates(i => Normalize(Labels[i]).Equals(query, StringComparison.OrdinalIgnoreCase));
        if (exact.Count > 0) return (exact, LabelMatchKind.Exact);

        // an integer index
        if (query.All(c => char.IsAsciiDigit(c) || c == '-' || c == '+') && long.TryParse(query, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var number))
        {
            if (number < 0 || number >= Count)
                throw new LabelException($"Class index {number} is out of range: {Name} has {Count} classes, indices 0 to {Count - 1}.");
            return ([(int)number], LabelMatchKind.Index);
        }

        // an identifier such as a WordNet id
        if (Ids is not null)
        {
            var byId = Candidates(i => Ids[i].Equals(query, StringComparison.OrdinalIgnoreCase));
            if (byId.Count > 0) return (byId, LabelMatchKind.Exact);
        }

        // (2) one synonym
        var synonym = Candidates(i => _synonyms[i].Any(s => Normalize(s).Equals(query, StringComparison.OrdinalIgnoreCase)));
        if (synonym.Count > 0) return (synonym, LabelMatchKind.Synonym);

        // (3) contains: whole words first, then any substring
        var word = Candidates(i => ContainsWord(Labels[i], query));
        if (word.Count > 0) return (word, LabelMatchKind.ContainsWord);
        var part = Candidates(i => Labels[i].Contains(query, StringComparison.OrdinalIgnoreCase));
        if (part.Count > 0) return (part, LabelMatchKind.Contains);

        // (4) nothing: suggest
        var near = NearMatches(query, 5);
        var message = new StringBuilder($"No class of {Name} matches '{text}'.");
        if (near.Count > 0)
        {
            message.Append(" Near matches: ");
            message.AppendJoin("; ", near.Select(m => $"{m.Index} '{m.Label}'"));
            message.Append('.');
        }
        message.Append($" Give a class name, one of its synonyms, a word of it, or an index 0 to {Count - 1}.");
        throw new LabelException(message.ToString(), near);
    }

    /// <summary>Up to <paramref name="max"/> classes whose synonyms are closest to <paramref name="text"/> (edit distance, substrings first).</summary>
    public IReadOnlyList<LabelMatch> NearMatches(string text, int max = 5)
    {
        var query = Normalize(text).ToLowerInvariant();
        var ranked = new List<(int Index, double Score)>();
        for (int i = 0; i < Count; i++)
        {
            double best = double.MaxValue;
            foreach (var synonym in _synonyms[i])
            {
                var s = Normalize(synonym).ToLowerInvariant();
                double score = EditDistance(query, s);
                // a synonym inside the text, or the text's words inside a synonym, is closer than its edit distance says
                if (s.Length >= 3 && query.Contains(s)) score = Math.Min(score, (query.Length - s.Length) * 0.5);
                foreach (var w in query.Split(' ', StringSplitOptions.RemoveEmptyEntries))
                    if (w.Length >= 3 && ContainsWord(s, w)) score = Math.Min(score, 1 + Math.Abs(s.Length - query.Length) * 0.25);
                // a misspelt word of a longer synonym ("sharks" for "tiger shark")
                if (!query.Contains(' ') && query.Length >= 3)
                    foreach (var w in s.Split(' ', StringSplitOptions.RemoveEmptyEntries))
                        if (w.Length >= 3) score = Math.Min(score, EditDistance(query, w) + 0.5 + (s.Length - w.Length) * 0.01);
                best = Math.Min(best, score);
            }
            ranked.Add((i, best));
        }
        double limit = Math.Max(2, query.Length * 0.6);
        return ranked.Where(r => r.Score <= limit).OrderBy(r => r.Score).ThenBy(r => r.Index).Take(max)
            .Select(r => new LabelMatch(r.Index, Labels[r.Index], LabelMatchKind.Suggestion)).ToList();
    }

    /// <summary>
    /// Reads labels from a file: a JSON array of strings; a JSON object from index to label (or to [id, label], as in
    /// imagenet_class_index.json); or plain text, one label per line (lines "n01440764 tench, Tinca tinca" with a WordNet id
    /// on every line keep the id apart).
    /// </summary>
    public static LabelSet FromFile(string path, string? name = null)
    {
        ArgumentNullException.ThrowIfNull(path);
        string text;
        try
        {
            text = File.ReadAllText(path);
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            throw new LabelException($"Label file '{path}' not found.", inner: e);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new LabelException($"Label file '{path}' cannot be read: {e.Message}", inner: e);
        }
        name ??= Path.GetFileName(path);
        var trimmed = text.TrimStart('\uFEFF', ' ', '\t', '\r', '\n');
        try
        {
            if (trimmed.StartsWith('[') || trimmed.StartsWith('{')) return FromJson(trimmed, name, path);
            return FromLines(text.Split('\n'), name, path);
        }
        catch (ArgumentException e)
        {
            throw new LabelException($"Label file '{path}': {e.Message}", inner: e);
        }
    }

    static LabelSet FromJson(string json, string name, string path)
    {
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(json);
        }
        catch (JsonException e)
        {
            throw new LabelException($"Label file '{path}' is not valid JSON: {e.Message}", inner: e);
        }
        using (document)
        {
            var root = document.RootElement;
            if (root.ValueKind == JsonValueKind.Array)
            {
                var labels = new List<string>();
                foreach (var item in root.EnumerateArray())
                {
                    if (item.ValueKind != JsonValueKind.String)
                        throw new LabelException($"Label file '{path}': entry {labels.Count} of the JSON array is not a string.");
                    labels.Add(item.GetString()!);
                }
                if (labels.Count == 0) throw new LabelException($"Label file '{path}' holds no labels.");
                return new LabelSet(labels, name);
            }
            var byIndex = new SortedDictionary<int, (string? Id, string Label)>();
            foreach (var property in root.EnumerateObject())
            {
                if (!int.TryParse(property.Name, NumberStyles.None, CultureInfo.InvariantCulture, out var index))
                    throw new LabelException($"Label file '{path}': key '{property.Name}' is not a class index.");
                var value = property.Value;
                if (value.ValueKind == JsonValueKind.String) byIndex[index] = (null, value.GetString()!);
                else if (value.ValueKind == JsonValueKind.Array && value.GetArrayLength() == 2 &&
                         value[0].ValueKind == JsonValueKind.String && value[1].ValueKind == JsonValueKind.String)
                    byIndex[index] = (value[0].GetString(), value[1].GetString()!);
                else throw new LabelException($"Label file '{path}': the value of '{property.Name}' must be a label or [id, label].");
            }
            if (byIndex.Count == 0) throw new LabelException($"Label file '{path}' holds no labels.");
            if (byIndex.Keys.First() != 0 || byIndex.Keys.Last() != byIndex.Count - 1)
                throw new LabelException($"Label file '{path}': the class indices must run from 0 to {byIndex.Count - 1} without gaps.");
            var ids = byIndex.Values.All(v => v.Id is not null) ? byIndex.Values.Select(v => v.Id!) : null;
            return new LabelSet(byIndex.Values.Select(v => v.Label), name, ids);
        }
    }

    static LabelSet FromLines(IEnumerable<string> rawLines, string name, string path)
    {
        var lines = rawLines.Select(l => l.TrimEnd('\r')).ToList();
        while (lines.Count > 0 && string.IsNullOrWhiteSpace(lines[^1])) lines.RemoveAt(lines.Count - 1);
        if (lines.Count == 0) throw new LabelException($"Label file '{path}' holds no labels.");
        int blank = lines.FindIndex(string.IsNullOrWhiteSpace);
        if (blank >= 0) throw new LabelException($"Label file '{path}': line {blank + 1} is empty; give one label per line.");
        if (lines.All(IsWordNetLine))
            return new LabelSet(lines.Select(l => l[10..].Trim()), name, lines.Select(l => l[..9]));
        return new LabelSet(lines.Select(l => l.Trim()), name);
    }

    static bool IsWordNetLine(string line) =>
        line.Length > 10 && line[0] == 'n' && line.AsSpan(1, 8).IndexOfAnyExceptInRange('0', '9') < 0 && line[9] == ' ';

    static LabelSet LoadImageNet()
    {
        const string resource = "Tsgb.Resources.imagenet1k_synsets.txt";
        using var stream = typeof(LabelSet).Assembly.GetManifestResourceStream(resource)
                           ?? throw new InvalidOperationException($"The embedded resource {resource} is missing from Tsgb.Core.");
        using var reader = new StreamReader(stream, Encoding.UTF8);
        var set = FromLines(reader.ReadToEnd().Split('\n'), "ImageNet-1k", resource);
        if (set.Count != 1000 || set.Ids is null)
            throw new InvalidOperationException($"The embedded ImageNet label list has {set.Count} entries, not 1000.");
        return set;
    }

    List<int> Candidates(Func<int, bool> predicate)
    {
        var result = new List<int>();
        for (int i = 0; i < Count; i++) if (predicate(i)) result.Add(i);
        return result;
    }

    LabelMatch Pick(List<int> candidates, ReadOnlySpan<float> scores, LabelMatchKind kind)
    {
        int best = candidates[0];
        if (!scores.IsEmpty)
            foreach (var i in candidates)
                if (scores[i] > scores[best] || float.IsNaN(scores[best])) best = i;
        return new LabelMatch(best, Labels[best], kind);
    }

    int CheckIndex(int index) =>
        index >= 0 && index < Count ? index
            : throw new LabelException($"Class index {index} is out of range: {Name} has {Count} classes, indices 0 to {Count - 1}.");

    static string[] SplitSynonyms(string label)
    {
        var parts = label.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
        return parts.Length == 0 ? [label.Trim()] : parts;
    }

    /// <summary>Trims, turns underscores into spaces and collapses runs of white space.</summary>
    static string Normalize(string text)
    {
        var sb = new StringBuilder(text.Length);
        bool space = false;
        foreach (var raw in text.Trim())
        {
            var c = raw == '_' ? ' ' : raw;
            if (char.IsWhiteSpace(c))
            {
                if (!space && sb.Length > 0) sb.Append(' ');
                space = true;
                continue;
            }
            space = false;
            sb.Append(c);
        }
        return sb.ToString().TrimEnd();
    }

    /// <summary>True when <paramref name="label"/> contains <paramref name="query"/> bounded by non-letters/digits on both sides.</summary>
    static bool ContainsWord(string label, string query)
    {
        int start = 0;
        while (true)
        {
            int at = label.IndexOf(query, start, StringComparison.OrdinalIgnoreCase);
            if (at < 0) return false;
            int end = at + query.Length;
            bool left = at == 0 || !char.IsLetterOrDigit(label[at - 1]);
            bool right = end == label.Length || !char.IsLetterOrDigit(label[end]);
            if (left && right) return true;
            start = at + 1;
        }
    }

    static int EditDistance(string a, string b)
    {
        var previous = new int[b.Length + 1];
        var current = new int[b.Length + 1];
        for (int j = 0; j <= b.Length; j++) previous[j] = j;
        for (int i = 1; i <= a.Length; i++)
        {
            current[0] = i;
            for (int j = 1; j <= b.Length; j++)
            {
                int cost = a[i - 1] == b[j - 1] ? 0 : 1;
                current[j] = Math.Min(Math.Min(current[j - 1] + 1, previous[j] + 1), previous[j - 1] + cost);
            }
            (previous, current) = (current, previous);
        }
        return previous[b.Length];
    }
}
