using TsgbKit.Datasets;
using TsgbKit.Methods;
using TsgbKit.Metrics;
using TsgbKit.Models;
using static TorchSharp.torch;

namespace TsgbKit.Evaluation.Datasets;

/// <summary>
/// The metrics of a dataset run that cost passes the pointing game does not need, so they are computed only when asked:
/// RISE's deletion and insertion (<see cref="CausalMetrics"/>) for every trial (image × class present) of the images whose
/// dataset index is below <see cref="CausalImages"/>, and class sensitivity (<see cref="Metrics.ClassSensitivity"/>) per
/// image × method. Both take a method's map at the model input's resolution, as the method returned it (no resize, no
/// blur), with the input it explains, as the scene evaluation does; probabilities are
/// <see cref="MultiLabelProbabilities"/>.
/// </summary>
internal sealed class AskedMetrics(Classifier model, int causalImages, bool classSensitivity, int causalBatchSize, int maxRows)
{
    readonly Func<Tensor, Tensor> _probabilities = MultiLabelProbabilities.Of(model);

    /// <summary>Deletion/insertion on the images of index &lt; N (an index, not a position in the shard: shards agree).</summary>
    public int CausalImages { get; } = causalImages;

    public bool ClassSensitivity { get; } = classSensitivity;

    public bool IsCausal(int imageIndex) => imageIndex < CausalImages;

    /// <summary>Deletion and insertion AUCs of one map (h×w, the input's size) for one class of a 1×3×h×w input.</summary>
    public (double Deletion, double Insertion) DeletionInsertion(Tensor input, Tensor map, int classIndex) =>
        (CausalMetrics.Deletion(_probabilities, input, map, classIndex, causalBatchSize).Auc,
         CausalMetrics.Insertion(_probabilities, input, map, classIndex, causalBatchSize).Auc);

    /// <summary>
    /// Each image's most and least probable class (the first maximum and the first minimum, as the scene evaluation
    /// picks them), from one pass over the batch's inputs (they share one size).
    /// </summary>
    public (int Most, int Least)[] Extremes(IReadOnlyList<Tensor> inputs)
    {
        using var scope = NewDisposeScope();
        using var all = cat(inputs.ToArray(), 0);
        var probabilities = _probabilities(all).to_type(ScalarType.Float32).contiguous();
        int classes = (int)probabilities.shape[1];
        var values = probabilities.data<float>().ToArray();
        var extremes = new (int, int)[inputs.Count];
        for (int i = 0; i < inputs.Count; i++)
        {
            var row = values.AsSpan(i * classes, classes);
            int most = 0, least = 0;
            for (int c = 1; c < classes; c++)
            {
                if (row[c] > row[most]) most = c;
                if (row[c] < row[least]) least = c;
            }
            extremes[i] = (most, least);
        }
        return extremes;
    }

    /// <summary>
    /// One method's class sensitivity for each image of a batch: the maps of the most and the least probable class come
    /// from the method's own passes (two rows per image, at most <c>maxRows</c> rows per pass).
    /// </summary>
    public PartSensitivity[] Sensitivities(SaliencyMethod method, IReadOnlyList<AnnotatedImage> images, IReadOnlyList<Tensor> inputs,
        IReadOnlyList<(int Most, int Least)> extremes)
    {
        var result = new PartSensitivity[images.Count];
        foreach (var chunk in Enumerable.Range(0, images.Count).Chunk(Math.Max(1, maxRows / 2)))
        {
            using var scope = NewDisposeScope();
            var rowInputs = cat(chunk.SelectMany(i => new[] { inputs[i], inputs[i] }).ToArray(), 0);
            var targets = chunk.SelectMany(i => new long[] { extremes[i].Most, extremes[i].Least }).ToArray();
            Tensor maps;
            using (var attribution = method.Attribute(model, rowInputs, targets))
                maps = attribution.Maps.detach().cpu().clone();
            for (int k = 0; k < chunk.Length; k++)
            {
                int i = chunk[k];
                result[i] = new PartSensitivity(images[i].Index, images[i].Id, method.Name, extremes[i].Most, extremes[i].Least,
                    Metrics.ClassSensitivity.Score(maps[2 * k], maps[2 * k + 1]));
            }
        }
        return result;
    }
}
