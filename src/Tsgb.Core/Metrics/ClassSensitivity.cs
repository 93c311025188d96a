using TsgbKit.Synthetic;
using TorchSharp;
using static TorchSharp.torch;

namespace TsgbKit.Metrics;

/// <summary>Class sensitivity over images: the mean Spearman correlation and each image's value (NaN: a constant map).</summary>
public sealed record ClassSensitivityResult(double Mean, IReadOnlyList<double> PerImage)
{
    public override string ToString() => $"class sensitivity {Mean:F3} (Spearman, lower = more class-sensitive) over {PerImage.Count} images";
}

/// <summary>
/// Class sensitivity (Rebuffi et al. 2020, "There and Back Again"): the Spearman rank correlation between an image's maps
/// for its most and its least probable class, averaged over images. A method whose map ignores the class scores 1; lower
/// means more class-sensitive. Images whose maps are constant (correlation undefined) are left out of the mean.
/// </summary>
public static class ClassSensitivity
{
    /// <summary>The Spearman correlation of two maps (average ranks for ties).</summary>
    public static double Score(Tensor mostProbableMap, Tensor leastProbableMap) =>
        SaliencyMath.Spearman(mostProbableMap, leastProbableMap);

    /// <summary>
    /// Runs over normalized 1×3×H×W inputs: the model (batch → N×C probabilities) picks each image's most and least
    /// probable class, the explainer maps both.
    /// </summary>
    public static ClassSensitivityResult Evaluate(IEnumerable<Tensor> inputs, Func<Tensor, Tensor> model, Func<Tensor, int, Tensor> explainer)
    {
        var values = new List<double>();
        foreach (var input in inputs)
        {
            using var scope = torch.NewDisposeScope();
            var x = input.dim() == 3 ? input.unsqueeze(0) : input;
            double[] probs;
            using (torch.no_grad()) probs = SaliencyMath.ToDoubles(model(x)[0]);
            int most = 0, least = 0;
            for (int c = 1; c < probs.Length; c++)
            {
                if (probs[c] > probs[most]) most = c;
                if (probs[c] < probs[least]) least = c;
            }
            values.Add(Score(explainer(x, most), explainer(x, least)));
        }
        var valid = values.Where(v => !double.IsNaN(v)).ToArray();
        return new ClassSensitivityResult(valid.Length == 0 ? double.NaN : valid.Average(), values);
    }

    /// <summary>Runs over scenes (their normalized tensors).</summary>
    public static ClassSensitivityResult Evaluate(IEnumerable<Scene> scenes, Func<Tensor, Tensor> model, Func<Tensor, int, Tensor> explainer)
    {
        var values = new List<double>();
        foreach (var scene in scenes)
        {
            using var input = scene.ToTensor();
            values.AddRange(Evaluate([input], model, explainer).PerImage);
        }
        var valid = values.Where(v => !double.IsNaN(v)).ToArray();
        return new ClassSensitivityResult(valid.Length == 0 ? double.NaN : valid.Average(), values);
    }
}
