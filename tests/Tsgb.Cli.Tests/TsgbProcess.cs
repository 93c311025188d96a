using System.Diagnostics;

namespace TsgbKit.Cli.Tests;

/// <summary>Runs the built `tsgb` tool as a separate process, as a user or another tool would.</summary>
internal static class TsgbProcess
{
    public sealed record Result(int ExitCode, string Stdout, string Stderr);

    public static Result Run(params string[] arguments) => RunWith(new Dictionary<string, string?>(), arguments);

    /// <param name="environment">variables to set (or, with null, to remove) for this run</param>
    public static Result RunWith(Dictionary<string, string?> environment, params string[] arguments)
    {
        var tool = Path.Combine(AppContext.BaseDirectory, "tsgb.dll");
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var (name, value) in environment)
            if (value is null) start.Environment.Remove(name); else start.Environment[name] = value;
        start.ArgumentList.Add(tool);
        foreach (var a in arguments) start.ArgumentList.Add(a);
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(TimeSpan.FromMinutes(3)))
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"tsgb {string.Join(' ', arguments)} did not finish in 3 minutes");
        }
        return new Result(process.ExitCode, stdout.Result, stderr.Result);
    }
}
