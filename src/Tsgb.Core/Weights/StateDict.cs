using System.Text;
using TorchSharp;
using static TorchSharp.torch;

namespace TsgbKit.Weights;

/// <summary>What <see cref="StateDict.Load(nn.Module, string, bool)"/> did.</summary>
/// <param name="Loaded">Model keys whose values were copied from the file.</param>
/// <param name="Missing">Model keys the file lacks (only non-empty when strict is false).</param>
/// <param name="Unexpected">File keys the model lacks (only non-empty when strict is false).</param>
/// <param name="SkippedIntegerBuffers">Integer buffers (e.g. num_batches_tracked) absent from the file, or present only in the file; both are allowed.</param>
public sealed record StateDictLoadResult(
    IReadOnlyList<string> Loaded,
    IReadOnlyList<string> Missing,
    IReadOnlyList<string> Unexpected,
    IReadOnlyList<string> SkippedIntegerBuffers);

/// <summary>
/// Loads and saves a module's parameters and buffers (its <c>state_dict()</c>, named as in PyTorch/torchvision):
/// loads from safetensors files and PyTorch checkpoints, saves to safetensors files. Loading validates every key and shape before it copies anything, so a failed
/// load leaves the model exactly as it was.
/// </summary>
public static class StateDict
{
    const int MaxListed = 20;

    /// <summary>
    /// Copies the tensors of the weights file <paramref name="path"/> — safetensors or a PyTorch checkpoint, recognised by
    /// content (see <see cref="WeightsFile"/>) — into <paramref name="model"/>'s parameters and buffers (on their device, in
    /// their dtype). With <paramref name="strict"/>, a key the model has and the file lacks, or the reverse, is an error;
    /// integer buffers such as <c>*.num_batches_tracked</c> may always be absent. A shape mismatch is always an error.
    /// Throws <see cref="WeightsException"/>.
    /// </summary>
    public static StateDictLoadResult Load(nn.Module model, string path, bool strict = true)
    {
        ArgumentNullException.ThrowIfNull(model);
        using var file = WeightsFile.Open(path);
        return Load(model, file, strict);
    }

    /// <summary>Copies the tensors of an opened weights file into <paramref name="model"/>, with the rules of <see cref="Load(nn.Module, string, bool)"/>.</summary>
    public static StateDictLoadResult Load(nn.Module model, WeightsFile file, bool strict = true)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(file);
        var target = model.state_dict();
        var plan = Plan(target, file.Entries, strict, file.FilePath);
        // every key and shape is checked before any data is read, so a failed load leaves the model as it was
        var loaded = file.Read(plan.Loaded);
        try
        {
            Copy(target, loaded, plan.Loaded);
        }
        finally
        {
            foreach (var t in loaded.Values) t.Dispose();
        }
        return plan;
    }

    /// <summary>
    /// Copies <paramref name="tensors"/> (e.g. from <see cref="SafeTensors.Read"/>) into <paramref name="model"/> with the rules of
    /// <see cref="Load(nn.Module, string, bool)"/>; <paramref name="source"/> names them in error messages.
    /// </summary>
    public static StateDictLoadResult Load(nn.Module model, IReadOnlyDictionary<string, Tensor> tensors, bool strict = true, string source = "(in memory)")
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(tensors);
        var sourceShapes = tensors.ToDictionary(p => p.Key, p => (p.Value.shape, Integral: !SafeTensorsDTypes.IsFloating(p.Value.dtype)), StringComparer.Ordinal);
        var target = model.state_dict();
        var plan = Plan(target, sourceShapes, strict, source);
        Copy(target, tensors, plan.Loaded);
        return plan;
    }

    /// <summary>Saves <paramref name="model"/>'s <c>state_dict()</c> to a safetensors file; floating-point values in <paramref name="dtype"/>.</summary>
    public static void Save(nn.Module model, string path, SafeTensorsDType dtype = SafeTensorsDType.F32,
        IReadOnlyDictionary<string, string>? metadata = null)
    {
        ArgumentNullException.ThrowIfNull(model);
        SafeTensors.Write(path, model.state_dict(), dtype, metadata);
    }

    static StateDictLoadResult Plan(IDictionary<string, Tensor> target,
        IReadOnlyDictionary<string, (long[] Shape, bool Integral)> source, bool strict, string path)
    {
        var loaded = new List<string>();
        var missing = new List<string>();
        var unexpected = new List<string>();
        var skipped = new List<string>();
        var problems = new List<string>();

        foreach (var (key, tensor) in target)
        {
            bool integral = SafeTensorsDTypes.IsIntegral(tensor.dtype);
            if (!source.TryGetValue(key, out var found))
            {
                if (integral) skipped.Add(key);
                else missing.Add(key);
                continue;
            }
            var expected = tensor.shape;
            bool sameShape = expected.SequenceEqual(found.Shape) ||
                             // a scalar integer buffer stored as [1] or [] (num_batches_tracked) is the same value
                             (integral && found.Integral && Count(expected) == 1 && Count(found.Shape) == 1);
            if (!sameShape)
                problems.Add($"'{key}': the model expects shape {FormatShape(expected)}, the file has {FormatShape(found.Shape)}");
            else if (found.Integral != integral && !(integral && !found.Integral && IsBatchCounter(key)))
                problems.Add($"'{key}': the model holds {tensor.dtype} values, the file {(found.Integral ? "integers" : "floating-point values")}");
            else
                loaded.Add(key);
        }
        foreach (var key in source.Keys)
        {
            if (target.ContainsKey(key)) continue;
            if (IsBatchCounter(key)) skipped.Add(key);
            else unexpected.Add(key);
        }

        if (strict && missing.Count > 0)
            problems.Add($"{missing.Count} key(s) of the model are missing from the file: {List(missing)}");
        if (strict && unexpected.Count > 0)
            problems.Add($"{unexpected.Count} key(s) in the file are unknown to the model: {List(unexpected)}");
        if (problems.Count > 0)
        {
            string? key = problems.Count == 1 && missing.Count + unexpected.Count <= 1
                ? missing.Concat(unexpected).FirstOrDefault() ?? FirstQuoted(problems[0])
                : null;
            var detail = new StringBuilder("cannot be loaded into the model; nothing was changed. ");
            // the first few problems say what is wrong; a file of another architecture would otherwise list hundreds
            const int shown = 4;
            detail.AppendJoin("; ", problems.Take(shown));
            if (problems.Count > shown) detail.Append($"; … and {problems.Count - shown} more problems");
            throw new WeightsException(path, key, detail.ToString());
        }
        return new StateDictLoadResult(loaded, missing, unexpected, skipped);
    }

    static void Copy(IDictionary<string, Tensor> target, IReadOnlyDictionary<string, Tensor> source, IEnumerable<string> keys)
    {
        using var noGrad = no_grad();
        using var scope = NewDisposeScope();
        foreach (var key in keys)
        {
            var destination = target[key];
            var value = source[key];
            if (!destination.shape.SequenceEqual(value.shape)) value = value.reshape(destination.shape);
            destination.copy_(value);
        }
    }

    static bool IsBatchCounter(string key) => key == "num_batches_tracked" || key.EndsWith(".num_batches_tracked", StringComparison.Ordinal);

    static long Count(long[] shape) => shape.Aggregate(1L, (a, b) => a * b);

    static string? FirstQuoted(string text)
    {
        int a = text.IndexOf('\'');
        int b = a < 0 ? -1 : text.IndexOf('\'', a + 1);
        return b > a ? text[(a + 1)..b] : null;
    }

    static string List(IReadOnlyList<string> keys) =>
        string.Join(", ", keys.Take(MaxListed)) + (keys.Count > MaxListed ? $", ... and {keys.Count - MaxListed} more" : "");

    /// <summary>A shape as "[64, 3, 7, 7]" ("[]" for a scalar).</summary>
    public static string FormatShape(IEnumerable<long> shape) => "[" + string.Join(", ", shape) + "]";
}
