using System.CommandLine;
using TsgbKit.Models;

namespace TsgbKit.Interactive.Commands;

/// <summary>`model NAME`: loads a model (built-in demo, or torchvision architecture + a .pth or safetensors file) for the commands that follow.</summary>
internal static class ModelCommand
{
    public static Command Create(ICommandSurface surface)
    {
        var common = new CommonOptions();
        var name = new Argument<string?>("name") { Description = $"one of {string.Join(", ", Zoo.Names)}", Arity = ArgumentArity.ZeroOrOne };
        var list = new Option<bool>("--list") { Description = "list the models Tsgb knows" };
        var command = new Command("model", "Load a model (the built-in demo models need no file) and make it the session's model.")
        {
            name, common.Weights, common.Labels, common.Device, list, common.As,
        };
        command.SetAction(parse => CommandRunner.Run(surface, () =>
        {
            var requested = parse.GetValue(name);
            if (parse.GetValue(list) || requested is null)
            {
                surface.Out.WriteLine("demo models (weights built in): " + string.Join(", ", Demo.DemoModels.Names));
                surface.Out.WriteLine("torchvision architectures (give --weights W.pth or W.safetensors): " + string.Join(", ", Zoo.Architectures));
                if (surface.Session.Model is { } current) surface.Out.WriteLine($"current: {current}");
                return 0;
            }
            var labels = parse.GetValue(common.Labels) is FileInfo l ? Labels.LabelSet.FromFile(l.FullName) : null;
            var weights = parse.GetValue(common.Weights)?.ToString(); // as the user typed it: messages name the file they know
            var model = Zoo.Load(requested, weights, labels);
            WeightsLine.WriteIfVerbose(parse, surface, weights);
            model.To(CommonOptions.ParseDevice(parse.GetValue(common.Device)!));
            surface.Session.Model = model;
            long parameters = model.Module.parameters().Sum(p => p.numel());
            surface.Out.WriteLine($"{model}; {parameters:N0} parameters; input {Describe(model)}");
            surface.Out.WriteLine("classes: " + string.Join(", ", Enumerable.Range(0, Math.Min(model.Labels.Count, 10)).Select(i => model.Labels[i])) + (model.Labels.Count > 10 ? ", …" : ""));
            if (parse.GetValue(common.As) is string variable) surface.Bind(variable, model);
            return 0;
        }));
        return command;
    }

    private static string Describe(Classifier model) => model.Preprocessing.ResizeTo is { } size
        ? $"{size.Width}×{size.Height}"
        : $"resize {model.Preprocessing.ResizeShorterSide}, crop {model.Preprocessing.CenterCrop}";
}
