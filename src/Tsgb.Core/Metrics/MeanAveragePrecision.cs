using TsgbKit.Errors;

namespace TsgbKit.Metrics;

/// <summary>
/// Mean average precision of multi-label scores: per class, the average of the precision at each positive's rank
/// (ranking by decreasing score); then the mean over classes that have at least one positive.
/// </summary>
public static class MeanAveragePrecision
{
    /// <param name="scores">N×C scores, row-major</param>
    /// <param name="targets">N×C 0/1 labels, row-major</param>
    public static (double Mean, double[] PerClass) Compute(float[] scores, float[] targets, int classes)
    {
        if (scores.Length != targets.Length || scores.Length % classes != 0)
            throw new TsgbInputException($"scores ({scores.Length}) and targets ({targets.Length}) must both be N×{classes}");
        int n = scores.Length / classes;
        var perClass = new double[classes];
        var counted = new List<double>();
        for (int c = 0; c < classes; c++)
        {
            var order = Enumerable.Range(0, n).OrderByDescending(i => scores[i * classes + c]).ToArray();
            int positives = 0, seen = 0;
            double sum = 0;
            foreach (var i in order)
            {
                seen++;
                if (targets[i * classes + c] > 0.5f) { positives++; sum += (double)positives / seen; }
            }
            perClass[c] = positives > 0 ? sum / positives : double.NaN;
            if (positives > 0) counted.Add(perClass[c]);
        }
        return (counted.Count > 0 ? counted.Average() : double.NaN, perClass);
    }
}
