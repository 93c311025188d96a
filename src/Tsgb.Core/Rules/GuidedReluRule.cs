using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace TsgbKit.Rules;

/// <summary>Guided backpropagation (Springenberg et al. 2015): only positive gradients through active units.</summary>
public sealed class GuidedReluRule : Rule
{
    public override string Name => "guided-relu";

    public override bool AppliesTo(nn.Module module) => module is ReLU;

    public override Tensor Backward(nn.Module module, Tensor x, Tensor y, Tensor g) => g.clamp_min(0) * (x > 0).to_type(g.dtype);
}
