using TsgbKit.Errors;
using System.CommandLine;
using TsgbKit.Explain;
using TsgbKit.Methods;

namespace TsgbKit.Interactive.Commands;

/// <summary>`compare --methods a,b,c`: several methods side by side for the same image and targets, as one grid.</summary>
internal static class CompareCommand
{
    public static IReadOnlyList<string> DefaultMethods { get; } = ["gradient", "guided-backprop", "gradcam", "gradcam++", "normgrad", "tsgb"];

    public static Command Create(ICommandSurface surface)
    {
        var common = new CommonOptions();
        var methods = MethodOptionSet.Methods(string.Join(",", DefaultMethods));
        var settings = new MethodOptionSet();
        var png = new Option<FileInfo?>("--png") { Description = "write the grid (.png)" };
        var command = new Command("compare", "Several methods side by side for the same image and targets: one grid, a row per target.");
        foreach (var option in common.ModelOptions.Concat(common.InputOptions)) command.Options.Add(option);
        foreach (var option in new Option[] { common.Targets, methods }.Concat(settings.All).Concat([png, common.As])) command.Options.Add(option);
        command.SetAction(parse => CommandRunner.Run(surface, () =>
        {
            if (!surface.IsNotebook && parse.GetValue(png) is null) throw new TsgbInputException("give --png GRID.png to write the comparison");
            // unknown names and settings no method reads are refused before the model loads
            var saliency = MethodCatalog.CreateEach(MethodCatalog.ParseList(parse.GetValue(methods)!), settings.Read(parse));
            var names = saliency.Select(m => m.Name).ToList();
            var model = common.ResolveModel(parse, surface);
            var request = common.ResolveInput(parse, model);
            var (items, top) = common.ResolveTargets(parse);

            var byMethod = saliency.Select(m => Targets.Explain(request, items, top, m)).ToList();
            int targets = byMethod[0].Count;
            var rows = Enumerable.Range(0, targets).Select(t => (IReadOnlyList<Explanation>)byMethod.Select(m => m[t]).ToList()).ToList();
            var grid = ExplanationGrid.Render(rows, rows.Select(r => r[0].TargetName).ToList(), names);
            if (parse.GetValue(png) is FileInfo file) File.WriteAllBytes(file.FullName, grid.ToPng());
            surface.Session.LastExplanations = byMethod.SelectMany(m => m).ToList();
            if (surface.IsNotebook) surface.Show(grid);
            else foreach (var e in surface.Session.LastExplanations) surface.Show(e);
            if (parse.GetValue(common.As) is string name) surface.Bind(name, surface.Session.LastExplanations);
            return 0;
        }));
        return command;
    }
}
