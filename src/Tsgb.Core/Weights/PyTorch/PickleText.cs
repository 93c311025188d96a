namespace TsgbKit.Weights.PyTorch;

/// <summary>How values read from a pickle are named in messages and summaries.</summary>
internal static class PickleText
{
    public static string TypeName(object? value) => value switch
    {
        null => "None",
        bool => "bool",
        long or System.Numerics.BigInteger => "int",
        double => "float",
        string => "str",
        byte[] => "bytes",
        PickleTuple => "tuple",
        List<object?> => "list",
        PickleDict => "dict",
        PickledTensor => "tensor",
        PickledStorage => "storage",
        AllowedGlobal g => g.FullName,
        _ => value.GetType().Name,
    };

    /// <summary>A dict's keys as "epoch, state_dict, optimizer" (the first few).</summary>
    public static string Keys(PickleDict dict, int shown = 8)
    {
        var keys = dict.Items.Take(shown).Select(p => p.Key is string s ? s : $"{p.Key} ({TypeName(p.Key)})");
        return string.Join(", ", keys) + (dict.Count > shown ? $", … ({dict.Count} keys)" : "");
    }
}
