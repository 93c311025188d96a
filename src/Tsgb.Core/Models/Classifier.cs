using TorchSharp;
using TorchSharp.Modules;
using TsgbKit.Explain;
using TsgbKit.Imaging;
using TsgbKit.Labels;
using TsgbKit.Native;
using static TorchSharp.torch;

namespace TsgbKit.Models;

/// <summary>
/// A CNN classifier together with what explaining it needs: its class labels, how logits become
/// probabilities, the layer CAM methods default to, and its device.
/// </summary>
public sealed class Classifier : IDisposable
{
    public Classifier(nn.Module<Tensor, Tensor> module, string architecture, LabelSet labels,
        OutputKind output = OutputKind.Softmax, string? camLayer = null, Preprocessing? preprocessing = null)
    {
        TorchNative.EnsureLoaded();
        Module = module;
        Architecture = architecture;
        Labels = labels;
        Output = output;
        CamLayer = camLayer ?? Engine.DefaultLayers.CamLayer(module);
        Preprocessing = preprocessing ?? Preprocessing.ImageNet;
        module.eval();
    }

    public nn.Module<Tensor, Tensor> Module { get; }

    /// <summary>Zoo name or a description of the architecture, e.g. "vgg16".</summary>
    public string Architecture { get; }

    public LabelSet Labels { get; }

    public OutputKind Output { get; }

    /// <summary>The layer Grad-CAM, Grad-CAM++ and NormGrad use unless told otherwise (the last convolutional block).</summary>
    public string CamLayer { get; }

    /// <summary>How images become inputs: resize, crop, mean/std (ImageNet's unless the model says otherwise).</summary>
    public Preprocessing Preprocessing { get; }

    /// <summary>The device of the model's parameters (inputs are moved there).</summary>
    public Device Device => Module.parameters().FirstOrDefault()?.device ?? CPU;

    /// <summary>Moves the model (CPU, CUDA where the native backend has it).</summary>
    public Classifier To(Device device)
    {
        Module.to(device);
        return this;
    }

    /// <summary>Logits for a batch (no gradient), on the CPU.</summary>
    public Tensor Logits(Tensor inputs)
    {
        using var _ = no_grad();
        using var scope = NewDisposeScope();
        var wasTraining = Module.training;
        Module.eval();
        try { return Module.call(inputs.to(Device)).cpu().MoveToOuterDisposeScope(); }
        finally { if (wasTraining) Module.train(); }
    }

    /// <summary>Probabilities from logits, per <see cref="Output"/>.</summary>
    public Tensor Probabilities(Tensor logits) =>
        Output == OutputKind.Sigmoid ? logits.sigmoid() : logits.softmax(-1);

    /// <summary>Starts the fluent API: <c>model.Explain(input).For("dog").With(Tsgb.Conv.And(Tsgb.Fc))</c>.</summary>
    /// <param name="input">a normalized 1×3×H×W tensor (or 3×H×W)</param>
    public ExplainRequest Explain(Tensor input) => new(this, input, display: null);

    /// <summary>Explains an image file (PNG or JPEG), preprocessed as the model expects.</summary>
    public ExplainRequest Explain(string imagePath) => Explain(RgbImage.Load(imagePath));

    /// <summary>Explains an image, preprocessed as the model expects.</summary>
    public ExplainRequest Explain(RgbImage image)
    {
        var prepared = Preprocessing.Apply(image);
        using var input = ImageTensor.Normalize(prepared, Preprocessing.Mean, Preprocessing.Std);
        return new ExplainRequest(this, input, prepared);
    }

    public void Dispose() => Module.Dispose();

    public override string ToString() => $"{Architecture} ({Labels.Count} classes, {Output}, CAM layer {CamLayer})";
}
