namespace TsgbKit.Weights.PyTorch;

/// <summary>A Python tuple read from a pickle.</summary>
internal sealed class PickleTuple(IReadOnlyList<object?> items)
{
    public IReadOnlyList<object?> Items { get; } = items;
    public int Count => Items.Count;
    public object? this[int index] => Items[index];
}

/// <summary>
/// A Python dict (or collections.OrderedDict) read from a pickle, in insertion order. Keys are strings, integers,
/// floats, bools, None or tuples, as Python allows; setting an existing key replaces its value, as in Python.
/// </summary>
internal sealed class PickleDict
{
    readonly List<KeyValuePair<object?, object?>> _items = [];
    readonly Dictionary<object, int> _index = new();
    int _noneKey = -1;

    public int Count => _items.Count;
    public IReadOnlyList<KeyValuePair<object?, object?>> Items => _items;

    public void Set(object? key, object? value)
    {
        int at = key is null ? _noneKey : _index.GetValueOrDefault(key, -1);
        if (at >= 0)
        {
            _items[at] = new(key, value);
            return;
        }
        if (key is null) _noneKey = _items.Count;
        else _index[key] = _items.Count;
        _items.Add(new(key, value));
    }

    public bool TryGet(string key, out object? value)
    {
        if (_index.TryGetValue(key, out var at))
        {
            value = _items[at].Value;
            return true;
        }
        value = null;
        return false;
    }
}

/// <summary>
/// A storage a checkpoint refers to by a persistent id: its key in the archive, its element type and size, and, for
/// the legacy format's storage views, the part of the root storage it covers (in elements).
/// </summary>
internal sealed record PickledStorage(string Key, PyTorchElementType ElementType, long ElementCount, long ViewOffset = 0, long? ViewCount = null)
{
    /// <summary>The number of elements this storage (or view) covers.</summary>
    public long VisibleCount => ViewCount ?? ElementCount;
}

/// <summary>A tensor as the checkpoint describes it: a strided window onto a storage. No data is read until asked.</summary>
internal sealed record PickledTensor(PickledStorage Storage, long StorageOffset, long[] Shape, long[] Stride)
{
    public long ElementCount => Shape.Aggregate(1L, (a, b) => a * b);
}
