using System.CommandLine;
using TsgbKit.Evaluation.Datasets;

namespace TsgbKit.Interactive.Commands;

/// <summary>`merge PARTS… --out table.csv`: the table of any set of part files written by `evaluate --dataset` (shards, resumed runs).</summary>
internal static class MergeCommand
{
    public static Command Create(ICommandSurface surface)
    {
        var parts = new Argument<FileInfo[]>("parts") { Description = "part files (JSON Lines) of `tsgb evaluate --dataset … --part`", Arity = ArgumentArity.OneOrMore };
        var output = new Option<FileInfo?>("--out") { Description = "write the table (.csv)" };
        var allowMissing = new Option<bool>("--allow-missing") { Description = "aggregate even when some images of the dataset are in no part (they are reported)" };
        var command = new Command("merge", "Aggregate the part files of sharded or resumed `evaluate --dataset` runs into one table; duplicates and missing images are reported.")
        {
            parts, output, allowMissing,
        };
        command.SetAction(parse => CommandRunner.Run(surface, () =>
        {
            var result = PartMerge.Merge(parse.GetValue(parts)!.Select(f => f.ToString()).ToArray(), parse.GetValue(allowMissing));
            foreach (var note in result.Notes) Console.Error.WriteLine($"note: {note}");
            var h = result.Header;
            surface.Out.WriteLine($"{h.Model} on {h.Dataset}: {h.Images - result.MissingCount} of {h.Images} images from {parse.GetValue(parts)!.Length} part file(s)");
            surface.Out.Write(PointingTable.ToMarkdown(result.Rows));
            if (parse.GetValue(output) is FileInfo file) File.WriteAllText(file.ToString(), PointingTable.ToCsv(result.Rows));
            return 0;
        }));
        return command;
    }
}
