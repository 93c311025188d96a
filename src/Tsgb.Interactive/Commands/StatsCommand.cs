using TsgbKit.Errors;
using System.CommandLine;
using TsgbKit.Methods;

namespace TsgbKit.Interactive.Commands;

/// <summary>`stats`: per-layer gradient statistics of the last explanation (or of one computed from the options given).</summary>
internal static class StatsCommand
{
    public static Command Create(ICommandSurface surface)
    {
        var common = new CommonOptions();
        var method = MethodOptionSet.Method("method when an input is given");
        var settings = new MethodOptionSet();
        var command = new Command("stats", "Per-layer gradient statistics (mean, std, L2, fractions, relevance) of the last explanation, or of one for the input given.");
        foreach (var option in common.ModelOptions.Concat(common.InputOptions)) command.Options.Add(option);
        command.Options.Add(common.Targets);
        command.Options.Add(method);
        foreach (var option in settings.All) command.Options.Add(option);
        command.Options.Add(common.As);
        command.SetAction(parse => CommandRunner.Run(surface, () =>
        {
            bool hasInput = parse.GetValue(common.Image) is not null || parse.GetValue(common.InputTensor) is not null || parse.GetValue(common.Scene) is not null;
            var explanation = surface.Session.LastExplanation;
            // without an input nothing is computed: a method setting would be silently ignored
            if (!hasInput && settings.Read(parse).Given is var given && given != MethodSetting.None)
                throw new TsgbInputException($"{MethodSettings.OptionNames(given)} applies to a new explanation: give an input (--scene, --image, --input-tensor)");
            if (hasInput)
            {
                var saliency = MethodCatalog.Create(parse.GetValue(method)!, settings.Read(parse));
                if (!saliency.SupportsStatistics) throw new TsgbStateException($"{saliency.Name} records no layer statistics");
                var model = common.ResolveModel(parse, surface);
                var (items, top) = common.ResolveTargets(parse);
                explanation = Targets.Explain(common.ResolveInput(parse, model), items, top, saliency)[0];
                surface.Session.LastExplanation = explanation;
            }
            if (explanation is null)
                throw new TsgbInputException("no explanation yet: run `explain` first, or give an input (--scene, --image, --input-tensor)");
            surface.Out.WriteLine($"{explanation.Method} for '{explanation.TargetName}': {explanation.Statistics.Rows.Count} layers");
            var table = explanation.LayerStats;
            surface.Show(table);
            if (parse.GetValue(common.As) is string name) surface.Bind(name, table);
            return 0;
        }));
        return command;
    }
}
