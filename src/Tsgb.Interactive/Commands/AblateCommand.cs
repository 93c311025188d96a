using TsgbKit.Synthetic;
using System.CommandLine;
using System.Globalization;
using TsgbKit.Evaluation;
using TsgbKit.Errors;

namespace TsgbKit.Interactive.Commands;

/// <summary>`ablate`: a grid over TSGB's rectification settings on one scene → maps plus a table of metrics.</summary>
internal static class AblateCommand
{
    public static Command Create(ICommandSurface surface)
    {
        var common = new CommonOptions();
        var betas = new Option<string>("--betas") { Description = "TSGB-FC multipliers m, comma-separated", DefaultValueFactory = _ => "0.5,0.75,0.9,1" };
        var froms = new Option<string?>("--from-layers") { Description = "TSGB-Conv from these layers on, comma-separated ('all' for every layer)" };
        var bn = new Option<string>("--bn") { Description = "BatchNorm rule: on, off, or on,off", DefaultValueFactory = _ => "on" };
        var png = new Option<FileInfo?>("--png") { Description = "write the grid of maps (.png)" };
        var csv = new Option<FileInfo?>("--csv") { Description = "write the table of metrics (.csv)" };
        var command = new Command("ablate", "Ablate TSGB's settings (β, TSGB-Conv's first layer, the BatchNorm rule) on a synthetic scene: a grid of maps and a table of metrics.");
        foreach (var option in common.ModelOptions) command.Options.Add(option);
        foreach (var option in new Option[] { common.Scene, common.Targets, betas, froms, bn, png, csv, common.As }) command.Options.Add(option);
        command.SetAction(parse => CommandRunner.Run(surface, () =>
        {
            var model = common.ResolveModel(parse, surface);
            var seed = parse.GetValue(common.Scene) ?? throw new TsgbInputException("ablate needs a scene with ground truth: --scene SEED");
            var scene = TsgbKit.Synthetic.Scenes.Generate(seed);
            var betaValues = Numbers(parse.GetValue(betas)!, "--betas");
            var fromValues = parse.GetValue(froms) is string f
                ? f.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Select(v => v == "all" ? null : v).ToList()
                : [null];
            var bnValues = parse.GetValue(bn)!.Split(',', StringSplitOptions.TrimEntries).Select(v => v switch
            {
                "on" => true,
                "off" => false,
                _ => throw new TsgbInputException($"--bn takes on, off or on,off; not '{v}'"),
            }).ToList();
            var (items, _) = common.ResolveTargets(parse);
            var targets = items.Count == 0 ? null : items.Select(t => t is int i ? i : model.Labels.Resolve((string)t)).ToList();

            var result = Ablation.Run(model, scene, Ablation.Grid(betaValues, fromValues, bnValues), targets);
            if (parse.GetValue(png) is FileInfo p) File.WriteAllBytes(p.FullName, result.Grid.ToPng());
            if (parse.GetValue(csv) is FileInfo c) CsvFile.Save(result.Table, c.FullName);
            surface.Show(result.Grid);
            surface.Show(result.Table);
            if (parse.GetValue(common.As) is string name) surface.Bind(name, result);
            return 0;
        }));
        return command;
    }

    private static List<double> Numbers(string text, string option) =>
        text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Select(v =>
            double.TryParse(v, NumberStyles.Float, CultureInfo.InvariantCulture, out var d) ? d : throw new TsgbInputException($"{option}: '{v}' is not a number")).ToList();
}
