using TorchSharp;

namespace TsgbKit.Engine;

/// <summary>
/// Puts a model in the state an attribution needs (eval mode, parameters not requiring gradients: only the input
/// gradient is wanted) and restores exactly what the user had when disposed.
/// </summary>
internal sealed class ModelGuard : IDisposable
{
    private readonly torch.nn.Module _model;
    private readonly bool _wasTraining;
    private readonly List<(TorchSharp.Modules.Parameter Parameter, bool RequiredGrad)> _parameters;

    private ModelGuard(torch.nn.Module model)
    {
        _model = model;
        _wasTraining = model.training;
        _parameters = model.parameters().Select(p => (p, p.requires_grad)).ToList();
        model.eval();
        foreach (var (p, _) in _parameters) p.requires_grad = false;
    }

    public static ModelGuard Enter(torch.nn.Module model) => new(model);

    public void Dispose()
    {
        foreach (var (p, required) in _parameters) p.requires_grad = required;
        if (_wasTraining) _model.train();
    }
}
