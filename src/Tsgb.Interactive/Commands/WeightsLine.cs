using System.CommandLine;
using TsgbKit.Weights;

namespace TsgbKit.Interactive.Commands;

/// <summary>
/// `--verbose` with `--weights`: one line naming what the weights file holds and what was used of it, like the
/// libtorch configuration line: on stderr in the shell, in the cell's output in a notebook.
/// </summary>
internal static class WeightsLine
{
    public static void WriteIfVerbose(ParseResult parse, ICommandSurface surface, string? weightsPath)
    {
        if (weightsPath is null || !parse.GetValue(TsgbCommands.Verbose)) return;
        var writer = surface.IsNotebook ? surface.Out : Console.Error;
        writer.WriteLine($"tsgb: weights {weightsPath}: {WeightsFile.Describe(weightsPath)}");
    }
}
