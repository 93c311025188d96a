using System.Diagnostics;
using Microsoft.Data.Analysis;
using TsgbKit.Methods;
using TsgbKit.Metrics;
using TsgbKit.Models;
using TsgbKit.Synthetic;
using static TorchSharp.torch;

namespace TsgbKit.Evaluation;

/// <summary>
/// Every metric for every method on held-out scenes: the pointing game (all pairs and the difficult subset, as
/// TorchRay runs it), the energy-based pointing game, RISE's deletion and insertion, class sensitivity, and
/// optionally the model-randomization check. A centre baseline row (<see cref="CentreBaseline"/>, scored like every
/// method) shows what "no information" scores.
/// For each scene, one batched pass per method computes the maps of every class present plus the most and least
/// probable classes.
/// </summary>
public static class SaliencyEvaluation
{
    public const string CenterBaseline = CentreBaseline.BaselineName;

    /// <summary>The methods by registry name (see <see cref="MethodCatalog"/>).</summary>
    public static IReadOnlyList<EvaluationRow> Run(Classifier model, IReadOnlyList<string> methods, EvaluationOptions? options = null,
        IProgress<(double Fraction, string Detail)>? progress = null) =>
        Run(model, MethodCatalog.CreateEach(methods), options, progress);

    /// <summary>These methods, after the centre baseline.</summary>
    public static IReadOnlyList<EvaluationRow> Run(Classifier model, IReadOnlyList<SaliencyMethod> methods, EvaluationOptions? options = null,
        IProgress<(double Fraction, string Detail)>? progress = null)
    {
        options ??= new EvaluationOptions();
        var scenes = Scenes.Dataset(options.Images, options.Seed).ToList();
        int causal = Math.Min(options.CausalImages ?? options.Images, scenes.Count);
        var rows = new List<EvaluationRow>();
        int total = (methods.Count + 1) * scenes.Count, done = 0;

        Tensor Probabilities(Tensor x) => model.Probabilities(model.Logits(x));

        foreach (var method in methods.Prepend(new CentreBaseline()))
        {
            var name = method.Name;
            bool smooth = method.GradientLike;
            var pointing = new PointingGame(model.Labels.Count == SceneClasses.Count ? SceneClasses.Names : null);
            var energy = new List<double>();
            var deletion = new List<double>();
            var insertion = new List<double>();
            var sensitivity = new List<double>();
            var watch = new Stopwatch();
            int maps = 0;
            // one untimed call first: the first call of a method pays for JIT and native kernel set-up
            if (scenes.Count > 0)
                using (var warmUp = NewDisposeScope())
                using (method.Attribute(model, scenes[0].ToTensor(), [0])) { }

            for (int i = 0; i < scenes.Count; i++)
            {
                var scene = scenes[i];
                using var scope = NewDisposeScope();
                var input = scene.ToTensor();
                var probabilities = Probabilities(input)[0].data<float>().ToArray();
                int most = ArgMax(probabilities, _ => true), least = ArgMin(probabilities);
                var present = scene.Classes;
                var targets = present.Append(most).Append(least).Distinct().ToArray();

                watch.Start();
                Tensor mapsOf;
                using (var attribution = method.Attribute(model, input, targets.Select(t => (long)t).ToArray()))
                    mapsOf = attribution.Maps.clone();
                watch.Stop();
                maps += targets.Length;
                Tensor MapOf(int c) => mapsOf[Array.IndexOf(targets, c)];

                foreach (var c in present)
                {
                    pointing.Add(scene, c, MapOf(c), smooth);
                    energy.Add(EnergyPointingGame.Score(MapOf(c), scene.ClassBox(c)!.Value));
                }
                sensitivity.Add(ClassSensitivity.Score(MapOf(most), MapOf(least)));
                if (i < causal)
                {
                    int target = ArgMax(probabilities, present.Contains);
                    deletion.Add(CausalMetrics.Deletion(Probabilities, input, MapOf(target), target, options.BatchSize).Auc);
                    insertion.Add(CausalMetrics.Insertion(Probabilities, input, MapOf(target), target, options.BatchSize).Auc);
                }
                done++;
                progress?.Report(((double)done / total, $"{name}: scene {i + 1}/{scenes.Count}"));
            }

            var result = pointing.Result();
            // the baseline has no weights to randomize: its row says "—" rather than a trivial 1
            double randomization = method is not CentreBaseline && options.RandomizationImages > 0
                ? Randomization(model, method, scenes.Take(options.RandomizationImages).ToList())
                : double.NaN;
            rows.Add(new EvaluationRow(name, result.MeanAccuracy, result.DifficultMeanAccuracy, Mean(energy), Mean(deletion),
                Mean(insertion), Mean(sensitivity), randomization, maps == 0 ? 0 : watch.Elapsed.TotalMilliseconds / maps));
        }
        return rows;
    }

    /// <summary>The table as a DataFrame (methods × metrics).</summary>
    public static DataFrame ToDataFrame(IReadOnlyList<EvaluationRow> rows)
    {
        DoubleDataFrameColumn Column(string name, Func<EvaluationRow, double> value) => new(name, rows.Select(value));
        return new DataFrame(
            new StringDataFrameColumn("method", rows.Select(r => r.Method)),
            Column("pointing", r => r.Pointing),
            Column("pointing_difficult", r => r.PointingDifficult),
            Column("energy_in_box", r => r.Energy),
            Column("deletion_auc", r => r.DeletionAuc),
            Column("insertion_auc", r => r.InsertionAuc),
            Column("class_sensitivity", r => r.ClassSensitivity),
            Column("randomization_rho", r => r.RandomizationRho),
            Column("ms_per_map", r => r.MillisecondsPerMap));
    }

    /// <summary>
    /// Cascading randomization down to the first layer, on a copy: the Spearman rank correlation between the absolute
    /// values of each scene's original map and of the fully randomized model's map, averaged over the scenes
    /// (Adebayo et al.'s "absolute" variant; near 1 means the map ignores the weights).
    /// </summary>
    private static double Randomization(Classifier model, SaliencyMethod method, IReadOnlyList<Scene> scenes)
    {
        var layers = Engine.AttributionScope.Layers(model.Module)
            .Where(l => l.Module.parameters().Any()).Select(l => l.Name).Reverse().ToList();
        var samples = scenes.Select(s => (s.ToTensor(), s.Classes[0])).ToList();
        var copy = () => (TorchSharp.torch.nn.Module<Tensor, Tensor>)CloneModule(model);
        var result = ModelRandomization.Run(model.Module, copy, layers,
            (m, input, c) =>
            {
                var wrapped = new Classifier(m, model.Architecture, model.Labels, model.Output, model.CamLayer, model.Preprocessing);
                using var attribution = method.Attribute(wrapped, input, [c]);
                return attribution.Maps[0].clone();
            }, samples);
        foreach (var (input, _) in samples) input.Dispose();
        return result.Steps.Count == 0 ? double.NaN : result.Steps[^1].SpearmanAbsolute;
    }

    private static nn.Module CloneModule(Classifier model) =>
        model.Architecture switch
        {
            "scene-vgg" or "scene-resnet" => Demo.SceneArchitectures.Create(model.Architecture, model.Labels.Count),
            _ => Zoo.Create(model.Architecture, model.Labels).Module,
        };

    private static int ArgMax(float[] values, Func<int, bool> allowed)
    {
        int best = -1;
        for (int i = 0; i < values.Length; i++) if (allowed(i) && (best < 0 || values[i] > values[best])) best = i;
        return best;
    }

    private static int ArgMin(float[] values)
    {
        int best = 0;
        for (int i = 1; i < values.Length; i++) if (values[i] < values[best]) best = i;
        return best;
    }

    private static double Mean(List<double> values)
    {
        var valid = values.Where(v => !double.IsNaN(v)).ToList();
        return valid.Count == 0 ? double.NaN : valid.Average();
    }
}
