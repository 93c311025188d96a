using TorchSharp;
using static TorchSharp.torch;
using TsgbKit.Errors;

namespace TsgbKit.Metrics;

/// <summary>
/// One step of the cascade: the layers from the top down to <see cref="Layer"/> are re-initialised; the Spearman rank
/// correlations with the original maps, mean over the samples, of absolute maps (<see cref="SpearmanAbsolute"/>, the
/// paper's "absolute" variant) and of signed maps.
/// </summary>
public sealed record RandomizationStep(string Layer, double SpearmanAbsolute, double SpearmanSigned, IReadOnlyList<double> PerSample);

/// <summary>The cascade's steps, top layer first.</summary>
public sealed record ModelRandomizationResult(IReadOnlyList<RandomizationStep> Steps)
{
    public override string ToString() =>
        "model randomization (Spearman of |maps| vs original): " + string.Join(", ", Steps.Select(s => $"{s.Layer} {s.SpearmanAbsolute:F3}"));
}

/// <summary>
/// The model-parameter randomization sanity check (Adebayo et al. 2018), cascading: layers are re-initialised one by
/// one from the top (output) layer downwards, keeping the earlier re-initialisations, and after each step every sample's
/// map is compared with its map from the trained model by Spearman rank correlation. The main figure uses absolute values
/// of the maps (the paper's "absolute" variant); the signed correlation is reported too. A method that passes the check
/// shows correlations falling towards 0 as more layers are randomised.
/// <para>The user's model is never modified: the cascade runs on a copy made by <c>createCopy</c> (any model of the
/// same architecture) into which the trained model's state dict is loaded (values copied, not shared). The copy takes
/// the model's training/eval mode. The original maps are computed on that copy before any re-initialisation.</para>
/// </summary>
public static class ModelRandomization
{
    /// <param name="model">The trained model (read only).</param>
    /// <param name="createCopy">Makes a fresh model of the same architecture (weights are then overwritten).</param>
    /// <param name="layersTopFirst">Names (as in <c>named_modules()</c>) of the layers to re-initialise, top layer first.</param>
    /// <param name="explain">(model copy, normalized 1×3×H×W input, class) → map.</param>
    /// <param name="samples">The inputs and the class to explain for each.</param>
    /// <param name="reinitialize">Re-initialises one named layer of the copy; default <see cref="ReinitializeLayer"/>.</param>
    /// <param name="seed">Seed of the random re-initialisation.</param>
    public static ModelRandomizationResult Run<TModel>(TModel model, Func<TModel> createCopy, IReadOnlyList<string> layersTopFirst,
        Func<TModel, Tensor, int, Tensor> explain, IReadOnlyList<(Tensor Input, int ClassIndex)> samples,
        Action<TModel, string, Generator>? reinitialize = null, long seed = 0) where TModel : nn.Module
    {
        if (samples.Count == 0) throw new TsgbInputException("No samples.");
        reinitialize ??= (m, name, g) => ReinitializeLayer(m, name, g);
        var copy = createCopy();
        if (ReferenceEquals(copy, model)) throw new TsgbInputException("createCopy must return a new model, not the original.");
        try
        {
            var device = model.parameters().FirstOrDefault()?.device;
            if (device is not null) copy.to(device);
            copy.load_state_dict(model.state_dict());
            copy.train(model.training);

            var original = samples.Select(s => MapOf(copy, explain, s)).ToArray();
            using var generator = new Generator((ulong)seed, device ?? torch.CPU);
            var steps = new List<RandomizationStep>();
            foreach (var layer in layersTopFirst)
            {
                reinitialize(copy, layer, generator);
                double sumAbs = 0, sumSigned = 0;
                int nAbs = 0, nSigned = 0;
                var perSample = new double[samples.Count];
                for (int i = 0; i < samples.Count; i++)
                {
                    var map = MapOf(copy, explain, samples[i]);
                    double a = SaliencyMath.Spearman(Abs(original[i]), Abs(map));
                    double s = SaliencyMath.Spearman(original[i], map);
                    perSample[i] = a;
                    if (!double.IsNaN(a)) { sumAbs += a; nAbs++; }
                    if (!double.IsNaN(s)) { sumSigned += s; nSigned++; }
                }
                steps.Add(new RandomizationStep(layer, nAbs == 0 ? double.NaN : sumAbs / nAbs,
                    nSigned == 0 ? double.NaN : sumSigned / nSigned, perSample));
            }
            return new ModelRandomizationResult(steps);
        }
        finally
        {
            copy.Dispose();
        }
    }

    static double[] MapOf<TModel>(TModel copy, Func<TModel, Tensor, int, Tensor> explain, (Tensor Input, int ClassIndex) sample)
    {
        using var scope = torch.NewDisposeScope();
        return SaliencyMath.ToDoubles(explain(copy, sample.Input, sample.ClassIndex));
    }

    static double[] Abs(double[] v) => v.Select(Math.Abs).ToArray();

    /// <summary>
    /// Re-initialises every parameter of the named module (and its submodules) with values drawn from
    /// U(−b, b), b = 1/√fan_in, fan_in taken from the module's first parameter of two or more dimensions (inputs × kernel
    /// size), or from the parameter's own length when there is none — PyTorch's default range for convolutions and linear
    /// layers. Buffers (batch-norm statistics) are left alone. Throws when no module has that name.
    /// </summary>
    public static void ReinitializeLayer(nn.Module model, string layerName, Generator? generator = null)
    {
        var module = model.named_modules().Where(m => m.name == layerName).Select(m => m.module).FirstOrDefault()
                     ?? throw new TsgbInputException($"No layer named '{layerName}'. Layers: {string.Join(", ", model.named_modules().Select(m => m.name).Where(n => n.Length > 0))}");
        var parameters = module.parameters().ToArray();
        if (parameters.Length == 0) throw new TsgbInputException($"Layer '{layerName}' has no parameters.");
        var weight = parameters.FirstOrDefault(p => p.dim() >= 2);
        using var noGrad = torch.no_grad();
        foreach (var p in parameters)
        {
            long fanIn = weight is not null ? weight.shape.Skip(1).Aggregate(1L, (a, b) => a * b) : p.numel();
            double bound = 1 / Math.Sqrt(Math.Max(1, fanIn));
            using var scope = torch.NewDisposeScope();
            var values = torch.rand(p.shape, p.dtype, p.device, generator: generator).mul_(2 * bound).sub_(bound);
            p.copy_(values);
        }
    }
}
