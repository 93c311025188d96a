using System.Reflection;
using TorchSharp;
using TsgbKit.Rules;
using static TorchSharp.torch;
using TsgbKit.Errors;

namespace TsgbKit.Engine;

/// <summary>
/// Attaches a composite's rules to a model as forward hooks for the duration of one attribution, records the
/// layers that run, and removes every hook when disposed, leaving the model exactly as it was.
/// </summary>
public sealed class AttributionScope : IDisposable
{
    private readonly List<Action> _removers = new();
    private readonly List<LayerRecord> _records = new();
    // tensors kept past the model's own dispose scopes (outputs for statistics and capture); freed on Dispose
    private readonly List<Tensor> _kept = new();

    private AttributionScope() { }

    /// <summary>Every hooked layer call, in forward order.</summary>
    public IReadOnlyList<LayerRecord> Records => _records;

    /// <summary>The model's leaf layers with their dotted names, in registration order (not forward order).</summary>
    public static IReadOnlyList<LayerInfo> Layers(nn.Module model) => Infos(Leaves(model));

    /// <summary>
    /// The model's leaf layers in forward order (first call) for inputs shaped like <paramref name="input"/>, the
    /// order selectors such as From and Until work in; leaves the forward pass never calls come last.
    /// </summary>
    public static IReadOnlyList<LayerInfo> Layers(nn.Module model, Tensor input)
    {
        var leaves = Leaves(model);
        var order = ForwardOrder.Of(model, leaves, input);
        if (order is null) return Infos(leaves);
        var rank = new Dictionary<string, int>();
        for (int i = 0; i < order.Count; i++) rank[order[i]] = i;
        // OrderBy is stable: uncalled leaves keep their registration order after the called ones
        return Infos(leaves.OrderBy(l => rank.TryGetValue(l.Name, out var r) ? r : int.MaxValue).ToList());
    }

    private static List<(string Name, nn.Module Module)> Leaves(nn.Module model) =>
        model.named_modules().Where(m => m.name.Length > 0 && !m.module.children().Any()).ToList();

    private static IReadOnlyList<LayerInfo> Infos(IEnumerable<(string Name, nn.Module Module)> leaves)
    {
        var list = new List<LayerInfo>();
        foreach (var (name, module) in leaves) list.Add(new LayerInfo(name, module, list.Count, list));
        return list;
    }

    /// <param name="input">an input of the shape the model will be called on: selectors work in its forward order</param>
    /// <param name="composite">rules to apply (null or <see cref="Composite.None"/> for the plain gradient)</param>
    /// <param name="recordAll">record every leaf layer (for statistics), not only those with a rule</param>
    /// <param name="capture">layers (leaf or container) whose output and gradient must be kept</param>
    public static AttributionScope Attach(nn.Module model, Tensor input, Composite? composite, bool recordAll, IReadOnlyCollection<string> capture) =>
        Attach(model, input, composite, recordAll, capture, replay: null);

    /// <param name="replay">outputs of rule layers recorded from a single-image pass, replayed for every row</param>
    internal static AttributionScope Attach(nn.Module model, Tensor input, Composite? composite, bool recordAll, IReadOnlyCollection<string> capture,
        OutputCache? replay)
    {
        var scope = new AttributionScope();
        try
        {
            var layers = Layers(model, input);
            var known = model.named_modules().Select(m => m.name).ToHashSet();
            foreach (var name in capture)
                if (!known.Contains(name))
                    throw new TsgbInputException($"no layer named '{name}' in the model; layers are: {LayerSelector.Preview(layers)}");

            foreach (var layer in layers)
            {
                var rule = composite?.RuleFor(layer) ?? replay?.PlainRule(layer.Name);
                if (rule is not null || recordAll || capture.Contains(layer.Name))
                    scope.Hook(layer.Name, layer.Module, rule, record: recordAll || capture.Contains(layer.Name),
                        rule is not null && replay?.Has(layer.Name) == true ? replay : null);
            }
            foreach (var (name, module) in model.named_modules())
                if (capture.Contains(name) && module.children().Any())
                    scope.Hook(name, module, rule: null, record: true, replay: null);
            return scope;
        }
        catch
        {
            scope.Dispose();
            throw;
        }
    }

    /// <summary>The rule of every leaf layer that has one, by name (selectors in the forward order of <paramref name="input"/>).</summary>
    public static Dictionary<string, Rule> RulesOf(nn.Module model, Tensor input, Composite? composite)
    {
        var rules = new Dictionary<string, Rule>();
        if (composite is null) return rules;
        foreach (var layer in Layers(model, input))
            if (composite.RuleFor(layer) is Rule rule) rules[layer.Name] = rule;
        return rules;
    }

    private void Hook(string name, nn.Module module, Rule? rule, bool record, OutputCache? replay)
    {
        if (module is not nn.Module<Tensor, Tensor> layer)
        {
            if (rule is not null)
                throw new TsgbInputException($"layer '{name}' ({module.GetType().Name}) does not map one tensor to one tensor; rule {rule.Name} cannot attach to it");
            return;
        }

        // A replayed layer runs on a tiny stand-in input (its output is replaced by the recorded one); an
        // in-place layer overwrites its input, so it runs on a clone and the rule still sees the original.
        Tensor? originalInput = null;
        if (replay is not null && OutputCache.HasStandIn(module) || IsInPlace(module))
        {
            var pre = layer.register_forward_pre_hook((_, input) =>
            {
                originalInput = input;
                return (replay is null ? null : OutputCache.StandIn(module, input)) ?? input.clone();
            });
            _removers.Add(pre.remove);
        }

        var post = layer.register_forward_hook((m, input, output) =>
        {
            var x = originalInput ?? input;
            originalInput = null;
            LayerRecord? entry = null;
            if (record)
            {
                entry = new LayerRecord(name, module.GetType().Name, rule?.Name ?? "gradient", _records.Count);
                _records.Add(entry);
            }
            if (rule is not null && x.requires_grad)
            {
                var y = replay?.Take(name, x.shape[0]) ?? output.detach();
                if (entry is not null) entry.Output = Keep(y);
                var call = new RuleFunction.Call(rule, m, y, entry) { SharedRows = replay is not null };
                var result = RuleFunction.Apply(x, call);
                _kept.Add(call.Input!);
                return result;
            }
            if (entry is not null && output.requires_grad)
            {
                entry.Output = Keep(output.detach());
                return ObserverFunction.Apply(output, entry);
            }
            return output;
        });
        _removers.Add(post.remove);
    }

    private static bool IsInPlace(nn.Module module) =>
        module.GetType().GetProperty("inplace", BindingFlags.Public | BindingFlags.Instance)?.GetValue(module) is true;

    private Tensor Keep(Tensor tensor)
    {
        tensor.DetachFromDisposeScope();
        _kept.Add(tensor);
        return tensor;
    }

    public void Dispose()
    {
        foreach (var remove in _removers) remove();
        _removers.Clear();
        foreach (var record in _records) record.Gradient?.Dispose();
        foreach (var tensor in _kept) tensor.Dispose();
        _kept.Clear();
    }
}
