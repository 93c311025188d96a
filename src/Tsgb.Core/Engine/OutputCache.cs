using TorchSharp;
using TorchSharp.Modules;
using TsgbKit.Rules;
using static TorchSharp.torch;

namespace TsgbKit.Engine;

/// <summary>
/// Outputs of the layers that carry a rule, from one gradient-free forward pass of a single image. When the same
/// image is explained for k targets, the k-row pass replays these outputs instead of recomputing each
/// convolution k times: a rule's backward needs the layer's input and output, never the layer's own backward.
/// ReLU and max-pool layers without a rule are replayed too, with their own gradient computed from the one
/// recorded image, so that no layer of the forward runs on k rows.
/// </summary>
internal sealed class OutputCache : IDisposable
{
    private readonly Dictionary<string, Queue<Tensor>> _outputs = new();
    private readonly Dictionary<string, Rule> _plain = new();

    /// <summary>
    /// Runs the model once on <paramref name="image"/> (1×3×H×W) and keeps the outputs of rule layers, and of the
    /// ReLU and max-pool layers that have no rule.
    /// </summary>
    public static OutputCache Record(nn.Module<Tensor, Tensor> model, Tensor image, IReadOnlyDictionary<string, Rule> rules)
    {
        var cache = new OutputCache();
        foreach (var layer in AttributionScope.Layers(model))
        {
            if (rules.ContainsKey(layer.Name)) continue;
            Rule? plain = layer.Module switch
            {
                ReLU => new ReplayedReluGradient(),
                MaxPool2d => new ReplayedMaxPoolGradient(),
                _ => null,
            };
            if (plain is not null) cache._plain[layer.Name] = plain;
        }
        var removers = new List<Action>();
        try
        {
            foreach (var (name, module) in model.named_modules())
            {
                if (!rules.ContainsKey(name) && !cache._plain.ContainsKey(name) || module is not nn.Module<Tensor, Tensor> layer) continue;
                var hook = layer.register_forward_hook((_, _, output) =>
                {
                    // a copy: later in-place operations of the model must not change what the rule will see
                    cache.Add(name, output.detach().clone().DetachFromDisposeScope());
                    return output;
                });
                removers.Add(hook.remove);
            }
            using (no_grad())
            using (var scope = NewDisposeScope())
                model.call(image);
            return cache;
        }
        catch
        {
            cache.Dispose();
            throw;
        }
        finally
        {
            foreach (var remove in removers) remove();
        }
    }

    private void Add(string name, Tensor output)
    {
        if (!_outputs.TryGetValue(name, out var queue)) _outputs[name] = queue = new Queue<Tensor>();
        queue.Enqueue(output);
    }

    /// <summary>The next recorded output of a layer, broadcast to <paramref name="rows"/> rows (a view, no copy).</summary>
    public Tensor? Take(string name, long rows)
    {
        if (!_outputs.TryGetValue(name, out var queue) || queue.Count == 0) return null;
        var output = queue.Peek();
        queue.Enqueue(queue.Dequeue()); // a layer called several times replays its outputs in order
        return output.expand(output.shape.Select((size, i) => i == 0 ? rows : size).ToArray());
    }

    public bool Has(string name) => _outputs.ContainsKey(name);

    /// <summary>The plain-gradient rule of a replayed layer that has no rule of its own (ReLU, max-pool), or null.</summary>
    public Rule? PlainRule(string name) => _outputs.ContainsKey(name) ? _plain.GetValueOrDefault(name) : null;

    /// <summary>
    /// A stand-in input on which the layer's own forward is nearly free; its result is discarded in favour of the
    /// recorded output. Null where no cheap stand-in is known (the layer then simply runs).
    /// </summary>
    public static Tensor? StandIn(nn.Module module, Tensor input) => module switch
    {
        Conv2d conv => zeros(1, input.shape[1], conv.dilation[0] * (conv.kernel_size[0] - 1) + 1,
            conv.dilation[^1] * (conv.kernel_size[^1] - 1) + 1, dtype: input.dtype, device: input.device),
        BatchNorm2d => zeros(1, input.shape[1], 1, 1, dtype: input.dtype, device: input.device),
        Linear => zeros(1, input.shape[^1], dtype: input.dtype, device: input.device),
        ReLU => zeros(1, dtype: input.dtype, device: input.device),
        MaxPool2d => input.narrow(0, 0, 1), // pooling one row is cheap enough
        _ => null,
    };

    public static bool HasStandIn(nn.Module module) => module is Conv2d or BatchNorm2d or Linear or ReLU or MaxPool2d;

    public void Dispose()
    {
        foreach (var queue in _outputs.Values)
            foreach (var tensor in queue) tensor.Dispose();
        _outputs.Clear();
    }
}
