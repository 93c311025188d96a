using System.Runtime.CompilerServices;
using TorchSharp;
using static TorchSharp.torch;

namespace TsgbKit.Engine;

/// <summary>
/// The order in which a model's forward pass first calls its leaf layers. Registration order is not forward
/// order (ResNet registers fc before layer1, VGG registers avgpool before features), and selectors such as From and
/// Until need the latter before any hook is attached. It is recorded once per model instance and input shape by a
/// one-image pass without gradients, then cached, so an attribution's own pass costs what it did.
/// </summary>
internal static class ForwardOrder
{
    private sealed record Recorded(nn.Module[] Leaves, string[] Order);

    private static readonly ConditionalWeakTable<nn.Module, Dictionary<string, Recorded>> Cache = new();

    /// <summary>
    /// Leaf names in first-call order; leaves the pass never calls are left out (callers put them last).
    /// Null where the model cannot be called on a tensor.
    /// </summary>
    public static IReadOnlyList<string>? Of(nn.Module model, IReadOnlyList<(string Name, nn.Module Module)> leaves, Tensor input)
    {
        if (model is not nn.Module<Tensor, Tensor> callable) return null;
        // the batch size does not change the order; the image size may (a model can branch on it)
        var key = string.Join("×", input.shape.Skip(1));
        var byShape = Cache.GetOrCreateValue(model);
        lock (byShape)
        {
            // a model whose layers were replaced since is recorded again
            if (byShape.TryGetValue(key, out var known) && known.Leaves.SequenceEqual(leaves.Select(l => l.Module), ReferenceEqualityComparer.Instance))
                return known.Order;
            var order = Record(callable, leaves, input);
            byShape[key] = new Recorded(leaves.Select(l => l.Module).ToArray(), order);
            return order;
        }
    }

    private static string[] Record(nn.Module<Tensor, Tensor> model, IReadOnlyList<(string Name, nn.Module Module)> leaves, Tensor input)
    {
        var order = new List<string>();
        var seen = new HashSet<string>();
        var removers = new List<Action>();
        bool training = model.training;
        try
        {
            foreach (var (name, module) in leaves)
                if (module is nn.Module<Tensor, Tensor> layer)
                {
                    var hook = layer.register_forward_pre_hook((_, x) =>
                    {
                        if (seen.Add(name)) order.Add(name);
                        return x;
                    });
                    removers.Add(hook.remove);
                }
            // eval mode: a recording pass must not move BatchNorm's running statistics
            model.eval();
            using var scope = NewDisposeScope();
            using var noGrad = no_grad();
            model.call(input.detach().narrow(0, 0, 1));
        }
        finally
        {
            foreach (var remove in removers) remove();
            if (training) model.train();
        }
        return order.ToArray();
    }
}
