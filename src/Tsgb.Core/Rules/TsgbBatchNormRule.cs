using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace TsgbKit.Rules;

/// <summary>TSGB's BatchNorm2d rule (eval mode): g_x = g ⊙ y / (x + 1e-10), i.e. relevance passes through unscaled.</summary>
public sealed class TsgbBatchNormRule : Rule
{
    public override string Name => "tsgb-bn";

    public override bool AppliesTo(nn.Module module) => module is BatchNorm2d;

    public override Tensor Backward(nn.Module module, Tensor x, Tensor y, Tensor g) => g * y / (x + TsgbConvRule.Epsilon);
}
