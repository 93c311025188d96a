using TsgbKit.Errors;
using System.CommandLine;
using TsgbKit.Evaluation;
using TsgbKit.Methods;

namespace TsgbKit.Interactive.Commands;

/// <summary>`evaluate`: every metric for every method on held-out scenes, as a Markdown table (a DataFrame in notebooks).</summary>
internal static class EvaluateCommand
{
    public static Command Create(ICommandSurface surface)
    {
        var common = new CommonOptions();
        var methods = MethodOptionSet.Methods("all");
        var settings = new MethodOptionSet();
        var images = new Option<int>("--images") { Description = "held-out scenes", DefaultValueFactory = _ => 100 };
        var seed = new Option<int>("--seed") { Description = "scene seed of the held-out set", DefaultValueFactory = _ => 7 };
        var causal = new Option<int?>("--causal-images") { Description = "scenes for deletion/insertion (default: all); with --dataset, deletion/insertion for the images of index < N (default: none)" };
        var randomization = new Option<int>("--randomization") { Description = "scenes for the model-randomization check (0: skip)", DefaultValueFactory = _ => 0 };
        var output = new Option<FileInfo?>("--out") { Description = "write the table (.csv)" };
        var command = new Command("evaluate", "Pointing game (all and difficult), energy in box, deletion, insertion, class sensitivity and randomization for every method.");
        foreach (var option in common.ModelOptions) command.Options.Add(option);
        foreach (var option in new Option[] { methods }.Concat(settings.All).Concat([images, seed, causal, randomization, output, common.As])) command.Options.Add(option);
        var datasets = new DatasetEvaluateOptions();
        foreach (var option in datasets.All) command.Options.Add(option);
        command.SetAction(parse => CommandRunner.Run(surface, () =>
        {
            bool Given(Option option) => parse.GetResult(option) is { Implicit: false };
            if (parse.GetValue(datasets.Dataset) is not null)
            {
                // the randomization check clones and re-randomizes the model per method: scenes only (for now), say so
                if (Given(randomization))
                    throw new TsgbInputException($"{randomization.Name} is computed on the synthetic scenes only; with --dataset, evaluate gives the pointing game, energy in box, and deletion/insertion (--causal-images N) and class sensitivity (--class-sensitivity) when asked");
                return datasets.Run(parse, surface, common, MethodCatalog.ParseList(parse.GetValue(methods)!), settings.Read(parse),
                    parse.GetValue(images), parse.GetValue(seed), parse.GetValue(causal) ?? 0, parse.GetValue(output));
            }
            if (datasets.All.FirstOrDefault(Given) is { } datasetOnly)
                throw new TsgbInputException($"{datasetOnly.Name} needs --dataset (voc07:DIR, coco14:DIR or scenes)");
            var saliency = MethodCatalog.CreateEach(MethodCatalog.ParseList(parse.GetValue(methods)!), settings.Read(parse));
            var model = common.ResolveModel(parse, surface);
            var options = new EvaluationOptions
            {
                Images = parse.GetValue(images), Seed = parse.GetValue(seed),
                CausalImages = parse.GetValue(causal), RandomizationImages = parse.GetValue(randomization),
            };
            IReadOnlyList<EvaluationRow> rows;
            using (var progress = surface.StartProgress($"evaluate {model.Architecture}"))
                rows = SaliencyEvaluation.Run(model, saliency, options, new Progress<(double Fraction, string Detail)>(p => progress.Report(p.Fraction, p.Detail)));
            var table = SaliencyEvaluation.ToDataFrame(rows);
            if (parse.GetValue(output) is FileInfo file) CsvFile.Save(table, file.FullName);
            surface.Out.WriteLine($"{model.Architecture}, {options.Images} held-out scenes (seed {options.Seed}), deletion/insertion on {Math.Min(options.CausalImages ?? options.Images, options.Images)}");
            surface.Show(table);
            if (parse.GetValue(common.As) is string name) surface.Bind(name, table);
            return 0;
        }));
        return command;
    }
}
