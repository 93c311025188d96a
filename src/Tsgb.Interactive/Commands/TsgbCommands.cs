using System.CommandLine;

namespace TsgbKit.Interactive.Commands;

/// <summary>
/// The one `tsgb` grammar. The shell (`tsgb explain …`) and the notebook (`#!tsgb explain …`) parse the same
/// commands; only the surface that shows results differs.
/// </summary>
public static class TsgbCommands
{
    /// <param name="surface">where results go: <see cref="ConsoleSurface"/> for the shell, the kernel's surface in notebooks</param>
    public static RootCommand Create(ICommandSurface surface)
    {
        var root = new RootCommand("Tsgb: target-selective saliency maps for CNN classifiers.")
        {
            ModelCommand.Create(surface),
            ExplainCommand.Create(surface),
            CompareCommand.Create(surface),
            AblateCommand.Create(surface),
            StatsCommand.Create(surface),
            EvaluateCommand.Create(surface),
            TrainCommand.Create(),
            KernelCommand.Create(),
        };
        return root;
    }
}
