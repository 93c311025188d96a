namespace TsgbKit.Weights.PyTorch;

/// <summary>Where in a checkpoint the state dict was found, and what was done to its keys.</summary>
/// <param name="Tensors">The state dict, in file order, with any 'module.' prefix removed.</param>
/// <param name="Found">What the file holds: "a state dict of 62 tensors", "a dict with keys epoch, state_dict, …".</param>
/// <param name="Used">What Tsgb takes from it: "", "used 'state_dict' (62 tensors)"; and "removed the prefix 'module.' …".</param>
internal sealed record LocatedStateDict(IReadOnlyList<KeyValuePair<string, PickledTensor>> Tensors, string Found, string Used);

/// <summary>
/// Finds the state dict in what torch.save wrote: the object itself (torch.save(model.state_dict())), or the value
/// under one of the keys training scripts use ({'epoch': …, 'state_dict': …}); removes the 'module.' prefix that
/// nn.DataParallel and DistributedDataParallel put on every key.
/// </summary>
internal static class StateDictLocator
{
    /// <summary>The keys a checkpoint dict may keep its state dict under, in the order they are tried.</summary>
    public static readonly IReadOnlyList<string> CommonKeys = ["state_dict", "model", "model_state_dict", "net"];

    const string ParallelPrefix = "module.";

    public static LocatedStateDict Locate(object? root, string path)
    {
        if (root is not PickleDict dict)
            throw new WeightsException(path, null, $"holds a {PickleText.TypeName(root)}, not a state dict (a dict of parameter names to tensors)");
        if (dict.Count == 0)
            throw new WeightsException(path, null, "holds an empty dict: there are no weights in it");

        string found, used;
        PickleDict state;
        if (IsStateDict(dict))
        {
            state = dict;
            found = $"a state dict of {dict.Count} tensors";
            used = "";
        }
        else
        {
            found = $"a dict with keys {PickleText.Keys(dict)}";
            var key = CommonKeys.FirstOrDefault(k => dict.TryGet(k, out var value) && value is PickleDict d && IsStateDict(d))
                ?? throw new WeightsException(path, null,
                    $"holds {found}, and none of {string.Join(", ", CommonKeys.Select(k => $"'{k}'"))} is a state dict (a dict of parameter names to tensors); " +
                    "save one with torch.save(model.state_dict(), path)");
            dict.TryGet(key, out var nested);
            state = (PickleDict)nested!;
            used = $"used '{key}' ({state.Count} tensors)";
        }

        var tensors = state.Items.Select(p => new KeyValuePair<string, PickledTensor>((string)p.Key!, (PickledTensor)p.Value!)).ToList();
        if (tensors.All(p => p.Key.StartsWith(ParallelPrefix, StringComparison.Ordinal)))
        {
            tensors = tensors.Select(p => new KeyValuePair<string, PickledTensor>(p.Key[ParallelPrefix.Length..], p.Value)).ToList();
            used = (used.Length > 0 ? used + "; " : "") + $"removed the prefix '{ParallelPrefix}' (DataParallel) from every key";
        }
        return new LocatedStateDict(tensors, found, used);
    }

    /// <summary>A non-empty dict whose keys are all strings and whose values are all tensors.</summary>
    static bool IsStateDict(PickleDict dict) =>
        dict.Count > 0 && dict.Items.All(p => p.Key is string && p.Value is PickledTensor);
}
