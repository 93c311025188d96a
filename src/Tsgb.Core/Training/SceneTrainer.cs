using System.Diagnostics;
using TorchSharp;
using TsgbKit.Metrics;
using TsgbKit.Synthetic;
using static TorchSharp.torch;

namespace TsgbKit.Training;

/// <summary>
/// Trains a classifier on freshly generated scenes (no dataset on disk: every step draws new ones), then
/// measures mean average precision on held-out scenes.
/// </summary>
public static class SceneTrainer
{
    public static TrainingReport Train(string name, nn.Module<Tensor, Tensor> model, TrainingOptions options, IProgress<TrainingProgress>? progress = null)
    {
        Native.TorchNative.EnsureLoaded();
        manual_seed(options.Seed);
        var train = Scenes.Dataset(options.Steps * options.BatchSize, options.Seed);
        var optimizer = optim.AdamW(model.parameters(), options.LearningRate, weight_decay: options.WeightDecay);
        var schedule = optim.lr_scheduler.CosineAnnealingLR(optimizer, options.Steps);
        var watch = Stopwatch.StartNew();
        double smoothed = double.NaN;
        int step = 0;

        model.train();
        // the next batch is generated on another thread while this one trains
        using var batches = train.Batches(options.BatchSize, shuffleSeed: null).GetEnumerator();
        var next = Task.Run(() => batches.MoveNext() ? batches.Current : null);
        while (step < options.Steps)
        {
            using var batch = next.Result;
            if (batch is null) break;
            next = Task.Run(() => batches.MoveNext() ? batches.Current : null);
            using (var scope = NewDisposeScope())
            {
                optimizer.zero_grad();
                var logits = model.call(batch.Input);
                var loss = nn.functional.binary_cross_entropy_with_logits(logits, batch.Targets);
                loss.backward();
                optimizer.step();
                schedule.step();
                var value = loss.item<float>();
                smoothed = double.IsNaN(smoothed) ? value : 0.95 * smoothed + 0.05 * value;
            }
            step++;
            var elapsed = watch.Elapsed;
            if (step % 10 == 0 || step == options.Steps)
                progress?.Report(new TrainingProgress(step, options.Steps, smoothed, elapsed, elapsed / step * (options.Steps - step)));
            if (options.TimeLimit is { } limit && elapsed > limit) break;
        }
        next.Wait();
        next.Result?.Dispose();
        model.eval();
        var (map, perClass) = HeldOutMap(model, options.HeldOut, options.HeldOutSeed);
        return new TrainingReport(name, step, smoothed, map, perClass, watch.Elapsed);
    }

    /// <summary>Mean average precision of a scene classifier on <paramref name="count"/> held-out scenes.</summary>
    public static (double Mean, double[] PerClass) HeldOutMap(nn.Module<Tensor, Tensor> model, int count, int seed = 99)
    {
        var scores = new List<float>();
        var targets = new List<float>();
        var wasTraining = model.training;
        model.eval();
        using (no_grad())
            foreach (var batch in Scenes.Dataset(count, seed).Batches(64))
                using (batch)
                using (var scope = NewDisposeScope())
                {
                    scores.AddRange(model.call(batch.Input).sigmoid().data<float>().ToArray());
                    targets.AddRange(batch.Targets.data<float>().ToArray());
                }
        if (wasTraining) model.train();
        return MeanAveragePrecision.Compute(scores.ToArray(), targets.ToArray(), SceneClasses.Count);
    }
}
