using System.Reflection;
using System.Security.Cryptography;
using TsgbKit.Imaging;
using TsgbKit.Labels;
using TsgbKit.Models;
using TsgbKit.Synthetic;
using TsgbKit.Weights;
using TsgbKit.Errors;

namespace TsgbKit.Demo;

/// <summary>
/// The demo models trained here on synthetic scenes and shipped inside Tsgb.Core: they work from a notebook,
/// the CLI or another project with no file to find.
/// </summary>
public static class DemoModels
{
    public static IReadOnlyList<string> Names { get; } = ["scene-vgg", "scene-resnet"];

    /// <summary>The scene classes (circle, square, …) as a label set.</summary>
    public static LabelSet Labels { get; } = new(SceneClasses.Names, "scene classes");

    /// <summary>Scenes are 112×112 and normalized with ImageNet's mean and std.</summary>
    public static Preprocessing Preprocessing { get; } = Preprocessing.Resize(112, 112);

    /// <summary>VGG-style demo model (no BatchNorm), trained weights.</summary>
    public static Classifier SceneVgg() => Load("scene-vgg");

    /// <summary>ResNet-style demo model (BatchNorm, basic blocks), trained weights.</summary>
    public static Classifier SceneResNet() => Load("scene-resnet");

    /// <summary>A demo model by name with its shipped weights.</summary>
    public static Classifier Load(string name) => FromWeights(name, ShippedWeights(name));

    /// <summary>What training recorded in the shipped weights: seed, steps, held-out mAP, labels.</summary>
    public static IReadOnlyDictionary<string, string> TrainingRecord(string name) =>
        SafeTensors.ReadHeader(ShippedWeights(name)).Metadata;

    /// <summary>A demo architecture with weights from a file (e.g. one written by `tsgb train`).</summary>
    public static Classifier FromWeights(string name, string weightsPath)
    {
        var module = SceneArchitectures.Create(name, SceneClasses.Count);
        StateDict.Load(module, weightsPath);
        return Wrap(name, module);
    }

    /// <summary>A demo architecture with fresh random weights (for training or sanity checks).</summary>
    public static Classifier Untrained(string name) => Wrap(name, SceneArchitectures.Create(name, SceneClasses.Count));

    private static Classifier Wrap(string name, TorchSharp.torch.nn.Module<TorchSharp.torch.Tensor, TorchSharp.torch.Tensor> module) =>
        new(module, name, Labels, OutputKind.Sigmoid, preprocessing: Preprocessing);

    /// <summary>
    /// The embedded weights, extracted once into the cache folder (safetensors are read from files).
    /// </summary>
    private static string ShippedWeights(string name)
    {
        if (!Names.Contains(name))
            throw new TsgbInputException($"unknown demo model '{name}'; known: {string.Join(", ", Names)}");
        var assembly = Assembly.GetExecutingAssembly();
        // Resources/demo/<name>.safetensors; the separator in the resource name depends on the build host
        var resource = assembly.GetManifestResourceNames().FirstOrDefault(n => n.StartsWith("Tsgb.Resources.demo") && n.EndsWith(name + ".safetensors"))
            ?? throw new TsgbStateException($"this build of Tsgb.Core ships no weights for '{name}'; train them with `tsgb train --model {name} --out W.safetensors`");
        using var stream = assembly.GetManifestResourceStream(resource)!;
        using var buffer = new MemoryStream();
        stream.CopyTo(buffer);
        var bytes = buffer.ToArray();
        var hash = Convert.ToHexString(SHA256.HashData(bytes))[..16].ToLowerInvariant();
        var folder = Path.Combine(Native.CacheFolder.Root, "demo");
        var path = Path.Combine(folder, $"{name}-{hash}.safetensors");
        if (!File.Exists(path))
        {
            Directory.CreateDirectory(folder);
            var temporary = path + "." + Environment.ProcessId + ".tmp";
            File.WriteAllBytes(temporary, bytes);
            File.Move(temporary, path, overwrite: true);
        }
        return path;
    }
}
