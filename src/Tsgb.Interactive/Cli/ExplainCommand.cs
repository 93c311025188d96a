using System.CommandLine;
using System.Diagnostics;
using TsgbKit.Explain;
using TsgbKit.Labels;
using TsgbKit.Methods;
using TsgbKit.Models;
using TsgbKit.Tensors;
using static TorchSharp.torch;

namespace TsgbKit.Interactive.Cli;

/// <summary>
/// `tsgb explain`: one map for one image and target. A contract other tools depend on: --out writes the raw
/// H×W float32 map as .npy; errors go to stderr with a non-zero exit.
/// </summary>
internal static class ExplainCommand
{
    public static Command Create()
    {
        var model = new Option<string>("--model") { Description = $"model: {string.Join(", ", Zoo.Names)}", Required = true };
        var weights = new Option<FileInfo?>("--weights") { Description = "safetensors weights with torchvision's names (optional for the demo models)" };
        var labels = new Option<FileInfo?>("--labels") { Description = "label file (one per line or JSON); ImageNet's by default for 1000 classes" };
        var image = new Option<FileInfo?>("--image") { Description = "PNG or JPEG image, preprocessed as the model expects" };
        var inputTensor = new Option<FileInfo?>("--input-tensor") { Description = "1×3×H×W float32 .npy, already normalized" };
        var target = new Option<string>("--target") { Description = "class label or index (default: the top class)", DefaultValueFactory = _ => "top" };
        var method = new Option<string>("--method") { Description = $"method: {string.Join(", ", MethodCatalog.Names)}", DefaultValueFactory = _ => "tsgb" };
        var beta = new Option<double>("--beta") { Description = "TSGB-FC multiplier m (β = m·z⁺/|z⁻|)", DefaultValueFactory = _ => 1.0 };
        var layer = new Option<string?>("--layer") { Description = "layer for Grad-CAM, Grad-CAM++, NormGrad (default: last convolutional block)" };
        var from = new Option<string?>("--from") { Description = "apply TSGB-Conv only from this layer on" };
        var device = new Option<string>("--device") { Description = "cpu or cuda", DefaultValueFactory = _ => "cpu" };
        var output = new Option<FileInfo?>("--out") { Description = "write the raw H×W float32 map (.npy)" };
        var png = new Option<FileInfo?>("--png") { Description = "write the heatmap overlay (.png)" };

        var command = new Command("explain", "Compute a saliency map for one image and one target.")
        {
            model, weights, labels, image, inputTensor, target, method, beta, layer, from, device, output, png,
        };
        command.SetAction(parse => UserErrors.Run(() =>
        {
            var imageFile = parse.GetValue(image);
            var tensorFile = parse.GetValue(inputTensor);
            if ((imageFile is null) == (tensorFile is null))
                throw new ArgumentException("give exactly one of --image or --input-tensor");
            var outFile = parse.GetValue(output);
            var pngFile = parse.GetValue(png);
            if (outFile is null && pngFile is null)
                throw new ArgumentException("nothing to write: give --out MAP.npy and/or --png OVERLAY.png");

            var labelSet = parse.GetValue(labels) is FileInfo l ? LabelSet.FromFile(l.FullName) : null;
            using var classifier = Zoo.Load(parse.GetValue(model)!, parse.GetValue(weights)?.FullName, labelSet);
            classifier.To(ParseDevice(parse.GetValue(device)!));
            var options = new MethodOptions { Beta = parse.GetValue(beta), Layer = parse.GetValue(layer), From = parse.GetValue(from) };
            var saliency = MethodCatalog.Create(parse.GetValue(method)!, options);

            var request = imageFile is not null
                ? classifier.Explain(imageFile.FullName)
                : classifier.Explain(ReadInputTensor(tensorFile!.FullName));
            var targetText = parse.GetValue(target)!;
            var watch = Stopwatch.StartNew();
            var explanation = targetText == "top"
                ? request.For(Tsgb.Top(1)).With(saliency)[0]
                : int.TryParse(targetText, out var index) ? request.For(index).With(saliency) : request.For(targetText).With(saliency);

            if (outFile is not null) Npy.Write(outFile.FullName, explanation.Map, explanation.Height, explanation.Width);
            if (pngFile is not null) File.WriteAllBytes(pngFile.FullName, explanation.ToPng());
            Console.WriteLine($"{explanation} in {watch.ElapsedMilliseconds} ms");
            return 0;
        }));
        return command;
    }

    private static Tensor ReadInputTensor(string path)
    {
        var input = Npy.Read(path);
        if (input.dim() != 4 || input.shape[0] != 1 || input.shape[1] != 3)
            throw new ArgumentException($"{path}: --input-tensor must be 1×3×H×W, got {string.Join("×", input.shape)}");
        return input;
    }

    internal static Device ParseDevice(string name) => name.ToLowerInvariant() switch
    {
        "cpu" => CPU,
        "cuda" when cuda.is_available() => CUDA,
        "cuda" => throw new NotSupportedException("--device cuda: no CUDA device is available to this build (it uses the CPU libtorch unless built with -p:TorchBackend=cuda)"),
        _ => throw new ArgumentException($"unknown device '{name}': use cpu or cuda"),
    };
}
