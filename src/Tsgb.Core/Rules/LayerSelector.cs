using TorchSharp;
using TorchSharp.Modules;
using TsgbKit.Errors;

namespace TsgbKit.Rules;

/// <summary>
/// Chooses the layers a rule applies to: by name, by a range of names (in the model's forward order), by type,
/// or the last layer of a type. Selectors combine with <see cref="And"/>.
/// </summary>
public sealed class LayerSelector
{
    private readonly Func<LayerInfo, bool> _predicate;

    private LayerSelector(string description, Func<LayerInfo, bool> predicate)
    {
        Description = description;
        _predicate = predicate;
    }

    public string Description { get; }

    public bool Matches(LayerInfo layer) => _predicate(layer);

    public static LayerSelector All { get; } = new("all layers", _ => true);

    /// <summary>Exactly these layers (dotted names as in the state_dict, e.g. "features.10").</summary>
    public static LayerSelector Named(params string[] names)
    {
        var set = names.ToHashSet(StringComparer.Ordinal);
        return new($"layers {string.Join(", ", names)}", l => set.Contains(l.Name));
    }

    /// <summary>The layer named <paramref name="first"/> and every layer after it (in the model's forward order).</summary>
    public static LayerSelector From(string first) =>
        new($"from {first}", l => l.Index >= IndexOf(l, first, last: false));

    /// <summary>Every layer up to and including the one named <paramref name="last"/>.</summary>
    public static LayerSelector Until(string last) =>
        new($"until {last}", l => l.Index <= IndexOf(l, last, last: true));

    /// <summary>Layers whose module is of type <typeparamref name="T"/>.</summary>
    public static LayerSelector OfType<T>() where T : torch.nn.Module => new($"{typeof(T).Name} layers", l => l.Module is T);

    /// <summary>The last layer of type <typeparamref name="T"/> in the model (e.g. the classifier's last Linear).</summary>
    public static LayerSelector LastOfType<T>() where T : torch.nn.Module =>
        new($"last {typeof(T).Name}", l => l.Module is T && !l.All.Skip(l.Index + 1).Any(o => o.Module is T));

    public LayerSelector And(LayerSelector other) =>
        new($"{Description}, {other.Description}", l => Matches(l) && other.Matches(l));

    public override string ToString() => Description;

    /// <summary>The position of a leaf; a container (e.g. "layer3") stands for its first leaf or, with <paramref name="last"/>, its last.</summary>
    private static int IndexOf(LayerInfo layer, string name, bool last)
    {
        var found = layer.All.FirstOrDefault(o => o.Name == name);
        if (found is not null) return found.Index;
        // first and last in the order of layer.All, which is the forward order when the engine builds it
        var inside = layer.All.Where(o => o.Name.StartsWith(name + ".", StringComparison.Ordinal)).Select(o => o.Index).ToList();
        if (inside.Count > 0) return last ? inside.Max() : inside.Min();
        throw new TsgbInputException($"no layer named '{name}' in the model; layers are: {Preview(layer.All)}");
    }

    internal static string Preview(IReadOnlyList<LayerInfo> all) =>
        string.Join(", ", all.Take(12).Select(l => l.Name)) + (all.Count > 12 ? $", … ({all.Count} layers)" : "");
}
