using TsgbKit.Imaging;
using TsgbKit.Models;
using static TorchSharp.torch;
using TsgbKit.Errors;

namespace TsgbKit.Explain;

/// <summary>
/// <c>model.Explain(input)</c>: an image waiting for its targets. <c>For</c> with one label or index gives a
/// single <see cref="Explanation"/>; several targets or <c>Top(k)</c> give an <see cref="ExplanationSet"/>
/// computed in one batched backward pass.
/// </summary>
public sealed class ExplainRequest
{
    internal ExplainRequest(Classifier model, Tensor input, RgbImage? display)
    {
        if (input.dim() == 3) input = input.unsqueeze(0);
        if (input.dim() != 4 || input.shape[0] != 1 || input.shape[1] != 3)
            throw new TsgbInputException($"Explain takes one normalized image, 1×3×H×W or 3×H×W; got {string.Join("×", input.shape)}");
        Model = model;
        Input = input.detach().to(ScalarType.Float32).cpu().clone();
        Image = display ?? ImageTensor.ToRgb(Input, model.Preprocessing.Mean, model.Preprocessing.Std);
    }

    /// <summary>The image as the model sees it (after resizing and cropping), for overlays.</summary>
    public RgbImage Image { get; }

    public Classifier Model { get; }

    /// <summary>A private CPU copy of the normalized input (1×3×H×W).</summary>
    public Tensor Input { get; }

    /// <summary>The input's values as a managed array, made once and shared by every explanation that may re-run a pass.</summary>
    internal float[] InputValues => _inputValues ??= Input.data<float>().ToArray();
    private float[]? _inputValues;

    /// <summary>One target by label: exact label, then synonym, then the best-scoring class containing the word.</summary>
    public SingleTargetRequest For(string label) => new(this, TargetSpec.Of([label]));

    /// <summary>One target by class index.</summary>
    public SingleTargetRequest For(int index) => new(this, TargetSpec.Of([index]));

    /// <summary>Several targets by label, computed in one batched backward.</summary>
    public MultiTargetRequest For(string first, string second, params string[] more) =>
        new(this, TargetSpec.Of(new[] { first, second }.Concat(more)));

    /// <summary>Several targets by index, computed in one batched backward.</summary>
    public MultiTargetRequest For(int first, int second, params int[] more) =>
        new(this, TargetSpec.Of(new[] { first, second }.Concat(more).Cast<object>()));

    /// <summary>Any mix of labels (string) and indices (int).</summary>
    public MultiTargetRequest For(IEnumerable<object> targets) => new(this, TargetSpec.Of(targets));

    /// <summary>The k best-scoring classes: <c>.For(Tsgb.Top(3))</c>.</summary>
    public MultiTargetRequest For(TopTargets top) => new(this, TargetSpec.Top(top.K));
}
