using System.CommandLine;

namespace TsgbKit.Interactive.Commands;

/// <summary>
/// The one `tsgb` grammar. The shell (`tsgb explain …`) and the notebook (`#!tsgb explain …`) parse the same
/// commands; only the surface that shows results differs.
/// </summary>
public static class TsgbCommands
{
    /// <summary>`--verbose`, on every command: the libtorch configuration in use, one line on stderr.</summary>
    public static Option<bool> Verbose { get; } = new("--verbose")
    {
        Description = "print which libtorch configuration the numerics self-check chose (one line on stderr)",
        Recursive = true,
    };

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
            MergeCommand.Create(surface),
            TrainCommand.Create(),
            ConvertCommand.Create(surface),
            KernelCommand.Create(),
            DoctorCommand.Create(surface),
        };
        root.Options.Add(Verbose);
        return root;
    }
}
