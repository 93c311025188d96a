using TorchSharp;
using static TorchSharp.torch;

namespace TsgbKit.Engine;

/// <summary>
/// An identity node placed after a layer without a rule, to see the gradient that arrives at its output
/// (for statistics and for CAM methods). It passes the gradient on unchanged. The forward returns a copy, so a
/// later in-place operation can never modify what the node recorded.
/// </summary>
internal sealed class ObserverFunction : autograd.SingleTensorFunction<ObserverFunction>
{
    public override string Name => "TsgbObserver";

    public static Tensor Apply(Tensor output, LayerRecord record) => apply(output, record);

    public override Tensor forward(autograd.AutogradContext ctx, params object[] vars)
    {
        var output = (Tensor)vars[0];
        ctx.save_data("record", vars[1]);
        return output.clone();
    }

    public override List<Tensor> backward(autograd.AutogradContext ctx, Tensor g)
    {
        var record = (LayerRecord)ctx.get_data("record");
        record.Gradient = g.detach();
        return [g, null!];
    }
}
