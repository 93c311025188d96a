using TsgbKit.Errors;
using System.CommandLine;
using TsgbKit.Explain;
using TsgbKit.Methods;
using TsgbKit.Tensors;

namespace TsgbKit.Interactive.Commands;

/// <summary>
/// `explain`: saliency maps for one image and one or more targets. As a shell command it is a contract other
/// tools depend on: --out writes the raw H×W float32 map as .npy; errors go to stderr with a non-zero exit.
/// </summary>
internal static class ExplainCommand
{
    public static Command Create(ICommandSurface surface)
    {
        var common = new CommonOptions();
        var method = MethodOptionSet.Method();
        var settings = new MethodOptionSet();
        var output = new Option<FileInfo?>("--out") { Description = "write the raw H×W float32 map (.npy; the first target's)" };
        var png = new Option<FileInfo?>("--png") { Description = "write the heatmap overlay, or a grid for several targets (.png)" };

        var command = new Command("explain", "Saliency maps for one image and one or more targets.");
        foreach (var option in common.ModelOptions.Concat(common.InputOptions)) command.Options.Add(option);
        foreach (var option in new Option[] { common.Targets, method }.Concat(settings.All).Concat([output, png, common.As])) command.Options.Add(option);

        command.SetAction(parse => CommandRunner.Run(surface, () =>
        {
            var outFile = parse.GetValue(output);
            var pngFile = parse.GetValue(png);
            if (!surface.IsNotebook && outFile is null && pngFile is null)
                throw new TsgbInputException("nothing to write: give --out MAP.npy and/or --png OVERLAY.png");

            var model = common.ResolveModel(parse, surface);
            var saliency = MethodCatalog.Create(parse.GetValue(method)!, settings.Read(parse));
            var request = common.ResolveInput(parse, model);
            var (items, top) = common.ResolveTargets(parse);
            var explanations = Targets.Explain(request, items, top, saliency);

            var first = explanations[0];
            if (outFile is not null) Npy.Write(outFile.FullName, first.Map, first.Height, first.Width);
            if (pngFile is not null)
                File.WriteAllBytes(pngFile.FullName, explanations.Count == 1 ? first.ToPng() : ExplanationGrid.Render(explanations).ToPng());

            surface.Session.LastExplanation = first;
            surface.Session.LastExplanations = explanations;
            object result = explanations.Count == 1 && top is null ? first : new ExplanationSet(explanations);
            surface.Show(result);
            if (parse.GetValue(common.As) is string name) surface.Bind(name, result);
            return 0;
        }));
        return command;
    }
}
