using System.Diagnostics;

namespace TsgbKit.Interactive.Kernel;

/// <summary>
/// sys.prefix of the Python that runs Jupyter, for `--sys-prefix` (jupyter's own meaning of the flag). The first of
/// $TSGB_PYTHON, python3 on PATH and /usr/bin/python3 that can import jupyter_client is taken.
/// </summary>
public static class PythonPrefix
{
    public static string? Find()
    {
        var candidates = new[] { Environment.GetEnvironmentVariable("TSGB_PYTHON"), "python3", "/usr/bin/python3" }
            .Where(c => !string.IsNullOrEmpty(c)).Distinct();
        foreach (var python in candidates)
        {
            var prefix = TryPrefix(python!);
            if (prefix is not null) return prefix;
        }
        return null;
    }

    private static string? TryPrefix(string python)
    {
        try
        {
            var info = new ProcessStartInfo(python, ["-c", "import sys, jupyter_client; print(sys.prefix)"])
            {
                RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false,
            };
            using var process = Process.Start(info);
            if (process is null) return null;
            var output = process.StandardOutput.ReadToEndAsync();
            if (!process.WaitForExit(TimeSpan.FromSeconds(20))) { process.Kill(); return null; }
            var prefix = output.Result.Trim();
            return process.ExitCode == 0 && prefix.Length > 0 ? prefix : null;
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return null; // no such interpreter
        }
    }
}
