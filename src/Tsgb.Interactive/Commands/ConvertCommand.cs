using System.CommandLine;
using TsgbKit.Weights;
using TsgbKit.Errors;

namespace TsgbKit.Interactive.Commands;

/// <summary>`convert IN OUT.safetensors`: a PyTorch checkpoint (or safetensors) to safetensors, for those who want the safe format from then on.</summary>
internal static class ConvertCommand
{
    public static Command Create(ICommandSurface surface)
    {
        var input = new Argument<FileInfo>("in") { Description = "a PyTorch checkpoint (.pth, .pt, .pth.tar) or a safetensors file" };
        var output = new Argument<FileInfo>("out") { Description = "the safetensors file to write" };
        var dtype = new Option<string>("--dtype") { Description = "f32, f16 or bf16: how floating-point tensors are stored", DefaultValueFactory = _ => "f32" };
        var command = new Command("convert",
            "Write the state dict of a weights file as safetensors: the whole file's, or the one under 'state_dict', 'model', " +
            "'model_state_dict' or 'net', with a DataParallel 'module.' prefix removed. The checkpoint's pickle is read with an " +
            "allow-list (tensors and plain containers); nothing in it is run.")
        {
            input, output, dtype,
        };
        command.SetAction(parse => CommandRunner.Run(surface, () =>
        {
            var source = parse.GetValue(input)!.ToString(); // paths as typed, for the messages
            var target = parse.GetValue(output)!.ToString();
            var type = parse.GetValue(dtype)!.ToLowerInvariant() switch
            {
                "f32" or "float32" => SafeTensorsDType.F32,
                "f16" or "float16" => SafeTensorsDType.F16,
                "bf16" or "bfloat16" => SafeTensorsDType.BF16,
                var other => throw new TsgbInputException($"--dtype {other}: use f32, f16 or bf16"),
            };
            if (string.Equals(parse.GetValue(input)!.FullName, parse.GetValue(output)!.FullName, StringComparison.Ordinal))
                throw new TsgbInputException($"{target}: the output would overwrite the input; give another name");
            if (!target.EndsWith(".safetensors", StringComparison.OrdinalIgnoreCase))
                throw new TsgbInputException($"{target}: convert writes safetensors; name the output *.safetensors");

            using var file = WeightsFile.Open(source);
            var tensors = file.ReadAll();
            try
            {
                SafeTensors.Write(target, tensors, type, new Dictionary<string, string>
                {
                    ["format"] = "pt",
                    ["converted_from"] = Path.GetFileName(source),
                });
            }
            finally
            {
                foreach (var t in tensors.Values) t.Dispose();
            }
            surface.Out.WriteLine($"{source}: {file.Description}");
            surface.Out.WriteLine($"wrote {target}: {tensors.Count} tensors, {type}, {new FileInfo(target).Length / 1e6:0.0} MB");
            return 0;
        }));
        return command;
    }
}
