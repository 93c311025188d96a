using TsgbKit.Synthetic;
using System.CommandLine;
using TsgbKit.Demo;
using TsgbKit.Imaging;
using TsgbKit.Labels;
using TsgbKit.Models;
using TsgbKit.Tensors;
using static TorchSharp.torch;
using TsgbKit.Errors;

namespace TsgbKit.Interactive.Commands;

/// <summary>Options several commands share (model, input image, targets, --as), and how they resolve.</summary>
internal sealed class CommonOptions
{
    public Option<string?> Model { get; } = new("--model") { Description = $"model: {string.Join(", ", Zoo.Names)} (default: the session's model)" };
    public Option<FileInfo?> Weights { get; } = new("--weights") { Description = "weights with torchvision's names: a PyTorch checkpoint (.pth, .pt, .pth.tar) or safetensors (optional for the demo models)" };
    public Option<FileInfo?> Labels { get; } = new("--labels") { Description = "label file (one per line or JSON), or imagenet, voc, coco; ImageNet's by default for 1000 classes" };
    public Option<string> Device { get; } = new("--device") { Description = "cpu or cuda", DefaultValueFactory = _ => "cpu" };
    public Option<FileInfo?> Image { get; } = new("--image") { Description = "PNG or JPEG image, preprocessed as the model expects" };
    public Option<FileInfo?> InputTensor { get; } = new("--input-tensor") { Description = "1×3×H×W float32 .npy, already normalized" };
    public Option<int?> Scene { get; } = new("--scene") { Description = "a synthetic scene by seed (for the demo models)" };
    public Option<string[]> Targets { get; } = new("--target") { Description = "class label or index; repeat for several; 'top' or 'top:K' (default: top)", AllowMultipleArgumentsPerToken = false };
    public Option<string?> As { get; } = new("--as") { Description = "bind the result to a C# variable of this name (notebooks)" };

    public IEnumerable<Option> ModelOptions => [Model, Weights, Labels, Device];
    public IEnumerable<Option> InputOptions => [Image, InputTensor, Scene];

    /// <summary>The model named on the line (then it becomes the session's), or the session's.</summary>
    public Classifier ResolveModel(ParseResult parse, ICommandSurface surface)
    {
        var name = parse.GetValue(Model);
        if (name is null)
            return surface.Session.Model ?? throw new TsgbInputException(surface.IsNotebook
                ? "no model yet: run `#!tsgb model scene-vgg` (or give --model NAME)"
                : "give --model NAME");
        var labels = parse.GetValue(Labels) is FileInfo l ? BenchmarkLabels.FromOption(l.ToString()) : null;
        var weights = parse.GetValue(Weights)?.ToString(); // as the user typed it: messages name the file they know
        var model = Zoo.Load(name, weights, labels);
        WeightsLine.WriteIfVerbose(parse, surface, weights);
        model.To(ParseDevice(parse.GetValue(Device)!));
        surface.Session.Model = model;
        return model;
    }

    /// <summary>The explain request for the input named on the line.</summary>
    public Explain.ExplainRequest ResolveInput(ParseResult parse, Classifier model)
    {
        var image = parse.GetValue(Image);
        var tensorFile = parse.GetValue(InputTensor);
        var scene = parse.GetValue(Scene);
        int given = (image is null ? 0 : 1) + (tensorFile is null ? 0 : 1) + (scene is null ? 0 : 1);
        if (given != 1) throw new TsgbInputException("give exactly one input: --image FILE, --input-tensor FILE.npy or --scene SEED");
        if (image is not null) return model.Explain(image.FullName);
        if (scene is int seed)
        {
            var generated = TsgbKit.Synthetic.Scenes.Generate(seed);
            return model.Explain(new RgbImage(generated.Width, generated.Height, generated.Rgb));
        }
        var input = Npy.Read(tensorFile!.FullName);
        if (input.dim() != 4 || input.shape[0] != 1 || input.shape[1] != 3)
            throw new TsgbInputException($"{tensorFile.FullName}: --input-tensor must be 1×3×H×W, got {string.Join("×", input.shape)}");
        return model.Explain(input);
    }

    /// <summary>The targets as the fluent API takes them: labels, indices, or top k.</summary>
    public (IReadOnlyList<object> Items, int? Top) ResolveTargets(ParseResult parse)
    {
        var texts = parse.GetValue(Targets) is { Length: > 0 } given ? given : ["top"];
        if (texts.Length == 1 && texts[0].StartsWith("top", StringComparison.OrdinalIgnoreCase))
        {
            var k = texts[0].Length > 4 && int.TryParse(texts[0][4..], out var parsed) ? parsed : 1;
            return ([], k);
        }
        return (texts.Select(t => int.TryParse(t, out var i) ? (object)i : t).ToList(), null);
    }

    public static Device ParseDevice(string name) => name.ToLowerInvariant() switch
    {
        "cpu" => CPU,
        "cuda" when cuda.is_available() => CUDA,
        "cuda" => throw new TsgbStateException("--device cuda: no CUDA device is available to this build (it uses the CPU libtorch unless built with -p:TorchBackend=cuda)"),
        _ => throw new TsgbInputException($"unknown device '{name}': use cpu or cuda"),
    };
}
