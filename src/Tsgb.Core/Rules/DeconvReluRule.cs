using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace TsgbKit.Rules;

/// <summary>Deconvnet (Zeiler and Fergus 2014): the ReLU is applied to the gradient instead of masking by the input.</summary>
public sealed class DeconvReluRule : Rule
{
    public override string Name => "deconv-relu";

    public override bool AppliesTo(nn.Module module) => module is ReLU;

    public override Tensor Backward(nn.Module module, Tensor x, Tensor y, Tensor g) => g.clamp_min(0);
}
