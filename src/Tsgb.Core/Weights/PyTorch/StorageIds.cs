namespace TsgbKit.Weights.PyTorch;

/// <summary>
/// The persistent ids through which a torch.save pickle refers to its storages:
/// ('storage', torch.FloatStorage, key, location, numel) in the zip format, plus a sixth item, a view or None, in the
/// legacy format. Every storage key must keep one element type and size throughout the file.
/// </summary>
internal sealed class StorageIds(string path, bool legacy)
{
    readonly Dictionary<string, PickledStorage> _roots = new(StringComparer.Ordinal);

    /// <summary>The storages referred to, by key, each with its whole extent.</summary>
    public IReadOnlyDictionary<string, PickledStorage> Roots => _roots;

    public object Resolve(PickleTuple id)
    {
        int expected = legacy ? 6 : 5;
        if (id.Count == 0 || Text(id[0]) != "storage")
            throw Refused($"a persistent id of kind '{(id.Count == 0 ? "" : Text(id[0]) ?? PickleText.TypeName(id[0]))}'");
        if (id.Count != expected)
            throw Corrupt($"a storage id of {id.Count} items (expected {expected})");
        if (id[1] is not AllowedGlobal { Kind: AllowedGlobalKind.StorageType, ElementType: { } type })
            throw Corrupt($"a storage id whose type is a {PickleText.TypeName(id[1])}");
        var key = Text(id[2]) ?? (id[2] is long number ? number.ToString() : null) ?? throw Corrupt("a storage id without a string key");
        // bounded so that byte counts and offsets computed from it cannot overflow
        if (id[4] is not long count || count < 0 || count > long.MaxValue / 16) throw Corrupt($"storage '{key}' without a valid element count");
        // id[3] is the device it was saved from ("cpu", "cuda:0"): Tsgb reads every storage into main memory.

        if (_roots.TryGetValue(key, out var known))
        {
            if (known.ElementType != type || known.ElementCount != count)
                throw Corrupt($"storage '{key}' declared both as {known.ElementCount} × {known.ElementType.StorageClass} and as {count} × {type.StorageClass}");
        }
        else _roots[key] = known = new PickledStorage(key, type, count);

        if (!legacy || id[5] is null) return known;
        // a legacy view: (view_key, offset, size) in elements of the root storage
        if (id[5] is not PickleTuple { Count: 3 } view || view[1] is not long offset || view[2] is not long size ||
            offset < 0 || size < 0 || offset + size > count)
            throw Corrupt($"storage '{key}' with a view that does not fit inside it");
        return known with { ViewOffset = offset, ViewCount = size };
    }

    static string? Text(object? value) => value switch
    {
        string s => s,
        byte[] b => System.Text.Encoding.ASCII.GetString(b),
        _ => null,
    };

    WeightsException Corrupt(string what) =>
        new(path, null, $"the pickle has {what}: the file is corrupt or was not written by torch.save");

    WeightsException Refused(string what) =>
        new(path, null, $"the pickle has {what}, which Tsgb does not accept: only tensors and plain containers are allowed, so Tsgb refused the file without running anything");
}
