using System.CommandLine;
using TsgbKit.Errors;

namespace TsgbKit.Interactive.Commands;

/// <summary>`doctor`: what Tsgb runs on and whether its numbers can be trusted here; exits 1 when they cannot.</summary>
internal static class DoctorCommand
{
    public static Command Create(ICommandSurface surface)
    {
        var command = new Command("doctor",
            "Versions, CPU, devices, the libstdc++ workaround, the numerics self-check (every probe) and the Jupyter kernelspecs. " +
            "Exits 1 when libtorch cannot load or computes wrong numbers in every configuration.");
        command.SetAction(_ =>
        {
            var report = DoctorReport.Collect();
            foreach (var line in report.Lines) surface.Out.WriteLine(line);
            if (!report.Healthy && surface.IsNotebook)
                throw new TsgbStateException(report.Lines[^1]); // one error output for the cell
            return report.Healthy ? 0 : 1;
        });
        return command;
    }
}
