using System.Runtime.InteropServices;
using TorchSharp;
using TsgbKit.Rules;
using static TorchSharp.torch;

namespace TsgbKit.Engine;

/// <summary>
/// The autograd node that stands in for one layer: forward returns the layer's own output unchanged, backward
/// asks the rule for the gradient at the layer's input. Because the node's only input is x, the layer's own
/// backward (and its weights) never run.
/// </summary>
internal sealed class RuleFunction : autograd.SingleTensorFunction<RuleFunction>
{
    /// <summary>What the node needs besides x; passed as a non-tensor argument so autograd does not track it.</summary>
    internal sealed record Call(Rule Rule, nn.Module<Tensor, Tensor> Module, Tensor Output, LayerRecord? Record)
    {
        /// <summary>All rows of x are the same image (replayed forward): the rule may compute x's terms once.</summary>
        public bool SharedRows { get; init; }

        /// <summary>A handle on x outside autograd's version check, for recomputing an overwritten output.</summary>
        public Tensor? Input { get; set; }
    }

    public override string Name => "TsgbRule";

    public static Tensor Apply(Tensor input, Call call) => apply(input, call);

    public override Tensor forward(autograd.AutogradContext ctx, params object[] vars)
    {
        var x = (Tensor)vars[0];
        var call = (Call)vars[1];
        // saving y through autograd makes an in-place change of it detectable (its version counter is checked)
        ctx.save_for_backward([x, call.Output]);
        call.Input = x.detach().DetachFromDisposeScope();
        ctx.save_data("call", call);
        return call.Output;
    }

    public override List<Tensor> backward(autograd.AutogradContext ctx, Tensor g)
    {
        var call = (Call)ctx.get_data("call");
        Tensor x, y;
        try
        {
            var saved = ctx.get_saved_variables();
            (x, y) = (saved[0], saved[1]);
        }
        catch (ExternalException e) when (e.Message.Contains("inplace", StringComparison.Ordinal))
        {
            // Something modified the layer's output in place after it ran (an in-place ReLU or residual add):
            // recompute the output from the untouched input. (A modified input would break PyTorch's own backward too.)
            x = call.Input!;
            using (no_grad()) y = call.Module.forward(x);
        }

        if (call.SharedRows) x = x.narrow(0, 0, 1).expand(x.shape);
        if (call.Record is not null) call.Record.Gradient = g.detach();
        var gx = call.Rule.Backward(call.Module, x, y, g);
        return [gx, null!];
    }
}
