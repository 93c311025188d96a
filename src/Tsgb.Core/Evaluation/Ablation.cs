using Microsoft.Data.Analysis;
using TsgbKit.Explain;
using TsgbKit.Imaging;
using TsgbKit.Methods;
using TsgbKit.Metrics;
using TsgbKit.Models;
using TsgbKit.Rules;
using TsgbKit.Synthetic;

namespace TsgbKit.Evaluation;

/// <summary>One setting of TSGB's rectification: a name for tables and the composite it stands for.</summary>
public sealed record AblationSetting(string Name, Composite Rules)
{
    public override string ToString() => Name;
}

/// <summary>
/// Ablation of the rectification settings on one scene: TSGB-FC's β, TSGB-Conv on all layers or from a given
/// layer on, the BatchNorm rule on or off. Each setting explains every target; the table scores each map by the
/// pointing game, the share of its energy in the target's box, and its selectivity (energy in its own box minus
/// energy in the other targets' boxes).
/// </summary>
public static class Ablation
{
    /// <summary>The cartesian product of the settings; a null "from" means all convolutional layers.</summary>
    public static IReadOnlyList<AblationSetting> Grid(IEnumerable<double> betas, IEnumerable<string?>? froms = null, IEnumerable<bool>? batchNormRule = null)
    {
        var settings = new List<AblationSetting>();
        foreach (var from in froms ?? [null])
            foreach (var bn in batchNormRule ?? [true])
                foreach (var beta in betas)
                {
                    var conv = from is null ? Tsgb.Conv : Tsgb.Conv.From(from);
                    if (!bn) conv = conv.Without<TsgbBatchNormRule>();
                    var name = $"β={beta:0.##}" + (from is null ? "" : $", from {from}") + (bn ? "" : ", no BN rule");
                    settings.Add(new AblationSetting(name, conv.And(Tsgb.Fc.Beta(beta))));
                }
        return settings;
    }

    public sealed record Result(DataFrame Table, IReadOnlyList<IReadOnlyList<Explanation>> Maps, RgbImage Grid);

    /// <param name="targets">classes to explain (default: the classes present in the scene)</param>
    public static Result Run(Classifier model, Scene scene, IReadOnlyList<AblationSetting> settings, IReadOnlyList<int>? targets = null)
    {
        targets ??= scene.Classes;
        var request = model.Explain(new RgbImage(scene.Width, scene.Height, scene.Rgb));
        var rows = new List<IReadOnlyList<Explanation>>();
        var setting = new List<string>();
        var target = new List<string>();
        var hit = new List<double>();
        var energy = new List<double>();
        var selectivity = new List<double>();
        var tolerance = PointingGame.ToleranceFor(scene.Width, scene.Height);

        foreach (var s in settings)
        {
            var method = new TsgbMethod(s.Rules, s.Name);
            var explanations = targets.Count == 1
                ? [request.For(targets[0]).With(method)]
                : (IReadOnlyList<Explanation>)request.For(targets.Cast<object>()).With(method);
            rows.Add(explanations);
            foreach (var e in explanations)
            {
                using var map = e.ToTensor();
                setting.Add(s.Name);
                target.Add(e.TargetName);
                bool present = scene.Contains(e.Target);
                hit.Add(present ? (PointingGame.IsHit(scene.ClassMask(e.Target), PointingGame.Point(map), tolerance) ? 1 : 0) : double.NaN);
                double own = present ? EnergyPointingGame.Score(map, scene.ClassBox(e.Target)!.Value) : double.NaN;
                energy.Add(own);
                var others = targets.Where(t => t != e.Target && scene.Contains(t)).ToList();
                selectivity.Add(present && others.Count > 0
                    ? own - others.Average(o => EnergyPointingGame.Score(map, scene.ClassBox(o)!.Value))
                    : double.NaN);
            }
        }
        var table = new DataFrame(
            new StringDataFrameColumn("setting", setting),
            new StringDataFrameColumn("target", target),
            new DoubleDataFrameColumn("pointing_hit", hit),
            new DoubleDataFrameColumn("energy_in_box", energy),
            new DoubleDataFrameColumn("selectivity", selectivity));
        var grid = ExplanationGrid.Render(rows, settings.Select(s => s.Name).ToList(), rows[0].Select(e => e.TargetName).ToList());
        return new Result(table, rows, grid);
    }
}
