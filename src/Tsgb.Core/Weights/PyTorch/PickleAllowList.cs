namespace TsgbKit.Weights.PyTorch;

/// <summary>What an admitted global stands for inside the unpickler. None of them runs Python code: each is a C# handler.</summary>
internal enum AllowedGlobalKind
{
    /// <summary>collections.OrderedDict: called with no arguments, it makes an empty dict.</summary>
    OrderedDict,

    /// <summary>torch._utils._rebuild_tensor_v2(storage, offset, size, stride, requires_grad, hooks[, metadata]).</summary>
    RebuildTensorV2,

    /// <summary>torch._utils._rebuild_tensor(storage, offset, size, stride): PyTorch before 0.4.</summary>
    RebuildTensor,

    /// <summary>torch._utils._rebuild_parameter(tensor, requires_grad, hooks): an nn.Parameter is read as its tensor.</summary>
    RebuildParameter,

    /// <summary>torch.FloatStorage and friends: only a name for an element type inside a storage's persistent id.</summary>
    StorageType,
}

/// <summary>A global the allow-list admits, as it sits on the unpickler's stack.</summary>
internal sealed record AllowedGlobal(string Module, string Name, AllowedGlobalKind Kind, PyTorchElementType? ElementType = null)
{
    public string FullName => $"{Module}.{Name}";
}

/// <summary>
/// The only Python globals a checkpoint may name. A pickle calls code by naming a global (GLOBAL or STACK_GLOBAL) and
/// applying it (REDUCE); Tsgb resolves a name to one of the handlers below or refuses the file at that opcode, before
/// anything is applied, so no name outside this list can have any effect. The list is what `torch.save` writes for a
/// state dict or a training checkpoint of tensors, numbers, strings and containers.
/// </summary>
internal static class PickleAllowList
{
    static readonly Dictionary<string, AllowedGlobal> Allowed = Build();

    static Dictionary<string, AllowedGlobal> Build()
    {
        var allowed = new Dictionary<string, AllowedGlobal>(StringComparer.Ordinal);
        void Add(string module, string name, AllowedGlobalKind kind, PyTorchElementType? type = null) =>
            allowed[$"{module}.{name}"] = new AllowedGlobal(module, name, kind, type);

        Add("collections", "OrderedDict", AllowedGlobalKind.OrderedDict);
        Add("torch._utils", "_rebuild_tensor_v2", AllowedGlobalKind.RebuildTensorV2);
        Add("torch._utils", "_rebuild_tensor", AllowedGlobalKind.RebuildTensor);
        Add("torch._utils", "_rebuild_parameter", AllowedGlobalKind.RebuildParameter);
        foreach (var type in PyTorchElementType.All)
        {
            Add("torch", type.StorageClass, AllowedGlobalKind.StorageType, type);
            Add("torch.cuda", type.StorageClass, AllowedGlobalKind.StorageType, type); // saved from a GPU before PyTorch 1.13
        }
        return allowed;
    }

    /// <summary>Every admitted global, "module.name", for messages and documentation.</summary>
    public static IEnumerable<string> Names => Allowed.Keys.Order(StringComparer.Ordinal);

    /// <summary>The handler for <paramref name="module"/>.<paramref name="name"/>, or a refusal that names the global.</summary>
    public static AllowedGlobal Resolve(string module, string name, string path)
    {
        if (Allowed.TryGetValue($"{module}.{name}", out var global)) return global;
        throw new WeightsException(path, null, Refusal($"{module}.{name}"));
    }

    static string Refusal(string global)
    {
        const string rule = "only tensors and plain containers are allowed, so Tsgb refused the file without running anything";
        if (global.StartsWith("torch.", StringComparison.Ordinal) && global.EndsWith("Storage", StringComparison.Ordinal))
            return $"the checkpoint holds a tensor of type {global}, which Tsgb does not read (float, double, half, bfloat16, integer and bool tensors are read)";
        if (global.StartsWith("__torch__.", StringComparison.Ordinal))
            return $"the checkpoint asks for {global}: it is a TorchScript program, not weights; {rule}. " +
                   "Save the weights with torch.save(model.state_dict(), path)";
        if (global.StartsWith("torch.", StringComparison.Ordinal) || global.StartsWith("collections.", StringComparison.Ordinal) ||
            global.StartsWith("numpy.", StringComparison.Ordinal))
            return $"the checkpoint asks for {global}; {rule}. Re-save just the weights: torch.save(model.state_dict(), path)";
        return $"the checkpoint asks for {global}; {rule}. A pickled Python object (a whole model saved with torch.save(model), " +
               "an argparse.Namespace, or code planted in the file) needs Python to load; save the weights alone with torch.save(model.state_dict(), path)";
    }
}
