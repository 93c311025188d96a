using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace TsgbKit.Models;

/// <summary>torchvision's initialisation: Kaiming-normal convolutions, unit BatchNorm, small-normal linear layers.</summary>
internal static class ModelInit
{
    public static void TorchvisionStyle(nn.Module model)
    {
        using var _ = no_grad();
        foreach (var module in model.modules())
        {
            switch (module)
            {
                case Conv2d conv:
                    nn.init.kaiming_normal_(conv.weight, mode: nn.init.FanInOut.FanOut, nonlinearity: nn.init.NonlinearityType.ReLU);
                    if (conv.bias is not null) conv.bias.zero_();
                    break;
                case BatchNorm2d bn:
                    bn.weight?.fill_(1);
                    bn.bias?.zero_();
                    break;
                case Linear linear:
                    nn.init.normal_(linear.weight, 0, 0.01);
                    linear.bias?.zero_();
                    break;
            }
        }
    }
}
