using System.CommandLine;
using TsgbKit.Demo;
using TsgbKit.Synthetic;
using TsgbKit.Training;
using TsgbKit.Weights;
using TsgbKit.Interactive.Cli;

namespace TsgbKit.Interactive.Commands;

/// <summary>`tsgb train --model scene-vgg --seed S --out W.safetensors`: trains a demo model on synthetic scenes.</summary>
internal static class TrainCommand
{
    public static Command Create()
    {
        var model = new Option<string>("--model") { Description = "scene-vgg or scene-resnet", Required = true };
        var seed = new Option<int>("--seed") { Description = "training seed", DefaultValueFactory = _ => 1 };
        var output = new Option<FileInfo>("--out") { Description = "where to write the weights (.safetensors)", Required = true };
        var steps = new Option<int>("--steps") { Description = "optimisation steps", DefaultValueFactory = _ => 1500 };
        var batch = new Option<int>("--batch") { Description = "scenes per step", DefaultValueFactory = _ => 32 };
        var rate = new Option<double>("--lr") { Description = "peak learning rate (AdamW, cosine decay)", DefaultValueFactory = _ => 1e-3 };
        var minutes = new Option<double?>("--minutes") { Description = "stop after this many minutes of training" };
        var threads = new Option<int?>("--threads") { Description = "CPU threads for libtorch (default: all cores)" };

        var command = new Command("train", "Train a demo model on synthetic scenes and report its held-out mean average precision.")
        {
            model, seed, output, steps, batch, rate, minutes, threads,
        };
        command.SetAction(parse =>
        {
            var name = parse.GetValue(model)!;
            if (parse.GetValue(threads) is int n) TorchSharp.torch.set_num_threads(n);
            var network = SceneArchitectures.Create(name, SceneClasses.Count);
            var options = new TrainingOptions
            {
                Seed = parse.GetValue(seed), Steps = parse.GetValue(steps), BatchSize = parse.GetValue(batch),
                LearningRate = parse.GetValue(rate),
                TimeLimit = parse.GetValue(minutes) is double m ? TimeSpan.FromMinutes(m) : null,
            };
            var bar = new ProgressBar($"train {name}");
            var report = SceneTrainer.Train(name, network, options, new Progress<TrainingProgress>(p => bar.Report((double)p.Step / p.Steps, p.ToString())));
            bar.Done();
            var path = parse.GetValue(output)!.FullName;
            StateDict.Save(network, path, metadata: new Dictionary<string, string>
            {
                ["model"] = name,
                ["labels"] = string.Join(",", SceneClasses.Names),
                ["seed"] = options.Seed.ToString(),
                ["steps"] = report.Steps.ToString(),
                ["held_out_map"] = report.HeldOutMap.ToString("0.0000", System.Globalization.CultureInfo.InvariantCulture),
            });
            Console.WriteLine($"{name}: {report.Steps} steps in {report.Elapsed:mm\\:ss}, final loss {report.FinalLoss:0.0000}, held-out mAP {report.HeldOutMap:0.0000} ({options.HeldOut} scenes)");
            Console.WriteLine("per class AP: " + string.Join(", ", SceneClasses.Names.Select((c, i) => $"{c} {report.PerClassAp[i]:0.000}")));
            Console.WriteLine($"weights: {path}");
            return 0;
        });
        return command;
    }
}
