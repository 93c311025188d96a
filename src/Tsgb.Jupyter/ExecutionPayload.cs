namespace TsgbKit.Jupyter;

/// <summary>
/// One entry of execute_reply's payload list: a request to the frontend, named by <see cref="Source"/>, with its
/// fields beside "source". The protocol deprecates payloads, but frontends still show "page" payloads (IPython's
/// <c>obj?</c> help) in their pager, and nothing replaces them yet.
/// </summary>
public sealed record ExecutionPayload(string Source, IReadOnlyDictionary<string, object> Fields)
{
    /// <summary>"page": show <paramref name="data"/> in the pager, scrolled to line <paramref name="start"/>.</summary>
    public static ExecutionPayload Page(MimeBundle data, int start = 0) =>
        new("page", new Dictionary<string, object>(StringComparer.Ordinal) { ["data"] = data, ["start"] = start });
}
