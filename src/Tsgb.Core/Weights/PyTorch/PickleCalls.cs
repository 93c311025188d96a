namespace TsgbKit.Weights.PyTorch;

/// <summary>
/// What REDUCE does with each admitted global: builds a dict or a tensor descriptor from plain values, after
/// checking that the arguments are what torch.save writes. Nothing else can be applied.
/// </summary>
internal static class PickleCalls
{
    public static object Apply(AllowedGlobal function, PickleTuple arguments, string path)
    {
        switch (function.Kind)
        {
            case AllowedGlobalKind.OrderedDict:
                if (arguments.Count != 0) throw Bad(path, function, "expects no arguments");
                return new PickleDict();

            case AllowedGlobalKind.RebuildTensorV2:
                // (storage, storage_offset, size, stride, requires_grad, backward_hooks[, metadata])
                if (arguments.Count is not (6 or 7)) throw Bad(path, function, $"expects 6 or 7 arguments, got {arguments.Count}");
                if (arguments[4] is not bool) throw Bad(path, function, "expects requires_grad to be a bool");
                if (arguments[5] is not PickleDict { Count: 0 }) throw Bad(path, function, "expects no backward hooks");
                return Tensor(function, arguments, path);

            case AllowedGlobalKind.RebuildTensor:
                // (storage, storage_offset, size, stride): PyTorch before 0.4
                if (arguments.Count != 4) throw Bad(path, function, $"expects 4 arguments, got {arguments.Count}");
                return Tensor(function, arguments, path);

            case AllowedGlobalKind.RebuildParameter:
                // (data, requires_grad, backward_hooks): a Parameter is its data here
                if (arguments.Count != 3 || arguments[0] is not PickledTensor tensor || arguments[1] is not bool)
                    throw Bad(path, function, "expects (tensor, requires_grad, hooks)");
                if (arguments[2] is not PickleDict { Count: 0 }) throw Bad(path, function, "expects no backward hooks");
                return tensor;

            default:
                throw Bad(path, function, "is a type name, not something a checkpoint may call");
        }
    }

    static PickledTensor Tensor(AllowedGlobal function, PickleTuple arguments, string path)
    {
        if (arguments[0] is not PickledStorage storage) throw Bad(path, function, "expects a storage as its first argument");
        if (arguments[1] is not long offset || offset < 0) throw Bad(path, function, "expects a non-negative storage offset");
        var shape = Longs(arguments[2]) ?? throw Bad(path, function, "expects the size as a tuple of integers");
        var stride = Longs(arguments[3]) ?? throw Bad(path, function, "expects the stride as a tuple of integers");
        if (shape.Length != stride.Length) throw Bad(path, function, $"has a size of {shape.Length} dimensions and a stride of {stride.Length}");
        if (shape.Any(d => d < 0) || stride.Any(s => s < 0)) throw Bad(path, function, "has a negative size or stride");
        return new PickledTensor(storage, offset, shape, stride);
    }

    static long[]? Longs(object? value) =>
        value is PickleTuple tuple && tuple.Items.All(i => i is long) ? tuple.Items.Select(i => (long)i!).ToArray() : null;

    static WeightsException Bad(string path, AllowedGlobal function, string what) =>
        new(path, null, $"{function.FullName} in the pickle {what}: the file is corrupt or was not written by torch.save");
}
