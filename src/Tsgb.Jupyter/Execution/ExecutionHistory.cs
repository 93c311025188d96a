using System.Text.RegularExpressions;

namespace TsgbKit.Jupyter.Execution;

/// <summary>One stored input: the session number, the execution count, the code.</summary>
internal sealed record HistoryEntry(int Session, int Line, string Input);

/// <summary>
/// In-memory input history of this kernel process (history_request). Only executions with store_history are kept.
/// There is one session per process, numbered <see cref="CurrentSession"/>.
/// </summary>
internal sealed class ExecutionHistory
{
    public const int CurrentSession = 1;
    private readonly List<HistoryEntry> _entries = [];
    private readonly object _gate = new();

    public void Add(int line, string input)
    {
        lock (_gate) _entries.Add(new HistoryEntry(CurrentSession, line, input));
    }

    public void Clear()
    {
        lock (_gate) _entries.Clear();
    }

    /// <summary>The last <paramref name="n"/> entries (all when n is null).</summary>
    public IReadOnlyList<HistoryEntry> Tail(int? n)
    {
        lock (_gate) return n is { } count ? _entries.TakeLast(Math.Max(0, count)).ToArray() : _entries.ToArray();
    }

    /// <summary>Lines start ≤ line &lt; stop of a session; 0 or the current number mean this session.</summary>
    public IReadOnlyList<HistoryEntry> Range(int session, int start, int? stop)
    {
        if (session != 0 && session != CurrentSession) return [];
        lock (_gate) return _entries.Where(e => e.Line >= start && (stop is null || e.Line < stop)).ToArray();
    }

    /// <summary>Glob search (* and ?), newest last; unique keeps the latest of equal inputs; n limits to the last n.</summary>
    public IReadOnlyList<HistoryEntry> Search(string pattern, int? n, bool unique)
    {
        var regex = new Regex("^" + Regex.Escape(pattern).Replace(@"\*", ".*").Replace(@"\?", ".") + "$",
            RegexOptions.Singleline | RegexOptions.CultureInvariant);
        HistoryEntry[] matches;
        lock (_gate) matches = _entries.Where(e => regex.IsMatch(e.Input)).ToArray();
        if (unique)
        {
            var seen = new HashSet<string>(StringComparer.Ordinal);
            matches = matches.Reverse().Where(e => seen.Add(e.Input)).Reverse().ToArray();
        }
        return n is { } count ? matches.TakeLast(Math.Max(0, count)).ToArray() : matches;
    }
}
