using System.CommandLine;

namespace TsgbKit.Interactive.Cli;

/// <summary>The root of the `tsgb` grammar. Each subcommand lives in its own file and is added here.</summary>
public static class TsgbCommands
{
    public static RootCommand Root()
    {
        var root = new RootCommand("Tsgb: target-selective saliency maps for CNN classifiers.")
        {
            ExplainCommand.Create(),
            TrainCommand.Create(),
        };
        return root;
    }
}
