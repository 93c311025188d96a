using TorchSharp;
using TorchSharp.Modules;
using TsgbKit.Rules;
using static TorchSharp.torch;

namespace TsgbKit.Engine;

/// <summary>
/// ReLU's own gradient, g ⊙ [y &gt; 0], for a replayed forward (one image, k targets): the mask comes from the
/// single recorded output, so neither the forward nor the mask is ever computed on k rows.
/// </summary>
internal sealed class ReplayedReluGradient : Rule
{
    public override string Name => "gradient";

    public override bool AppliesTo(nn.Module module) => module is ReLU;

    public override Tensor Backward(nn.Module module, Tensor x, Tensor y, Tensor g)
    {
        return g * (y.OneRowIfShared() > 0).to_type(g.dtype);
    }
}
