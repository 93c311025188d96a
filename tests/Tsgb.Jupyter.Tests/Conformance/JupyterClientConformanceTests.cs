using System.Diagnostics;
using TsgbKit.Jupyter.KernelSpecs;

namespace TsgbKit.Jupyter.Tests.Conformance;

/// <summary>
/// Launches this test assembly as a kernel process through a kernelspec and runs jupyter_kernel_test (plus interrupt,
/// SIGINT and stdin checks) with Debian's /usr/bin/python3. build/test.sh installs that stack; without it the test fails
/// with a message saying what to install (it never passes by skipping).
/// </summary>
public sealed class JupyterClientConformanceTests : IDisposable
{
    private const string Python = "/usr/bin/python3";
    private readonly string _root = Path.Combine(Path.GetTempPath(), "tsgb-conformance-" + Guid.NewGuid().ToString("N"));

    public void Dispose()
    {
        if (Directory.Exists(_root)) Directory.Delete(_root, recursive: true);
    }

    [Fact]
    public async Task Jupyter_kernel_test_passes_against_the_fake_kernel_process()
    {
        Assert.True(PythonHasJupyterKernelTest(), "Debian's python3-jupyter-kernel-test is missing: run build/install-deps.sh (apt-get install python3-jupyter-kernel-test)");

        var testDll = typeof(FakeKernelProgram).Assembly.Location;
        var name = "tsgb-fake-" + Guid.NewGuid().ToString("N")[..8];
        KernelSpecStore.Install(name,
            new KernelSpec([DotnetHost(), testDll, FakeKernelProgram.Verb, "{connection_file}"], "Fake", "fake"),
            KernelSpecLocation.Prefix(_root));

        var start = new ProcessStartInfo(Python, ["-m", "unittest", "-v", "fake_kernel_conformance"])
        {
            WorkingDirectory = Path.Combine(Path.GetDirectoryName(testDll)!, "Conformance"),
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        start.Environment["JUPYTER_PATH"] = JupyterPaths.PrefixDataDirectory(_root);
        start.Environment["JUPYTER_RUNTIME_DIR"] = Path.Combine(_root, "runtime");
        start.Environment["FAKE_KERNEL_NAME"] = name;
        start.Environment["PYTHONPATH"] = ""; // the pyenv Python's site-packages must not leak into Debian's

        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var limit = new CancellationTokenSource(TimeSpan.FromSeconds(180));
        try
        {
            await process.WaitForExitAsync(limit.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            Assert.Fail("jupyter_kernel_test did not finish in 180 s");
        }
        var output = await stdout + await stderr;
        Assert.True(process.ExitCode == 0, output);
        Assert.Contains("OK", output);
        Assert.DoesNotContain("FAIL", output);
    }

    private static bool PythonHasJupyterKernelTest()
    {
        if (!File.Exists(Python)) return false;
        using var check = Process.Start(new ProcessStartInfo(Python, ["-c", "import jupyter_kernel_test, jupyter_client"])
        {
            RedirectStandardError = true,
        })!;
        check.WaitForExit(TimeSpan.FromSeconds(30));
        return check.HasExited && check.ExitCode == 0;
    }

    /// <summary>The dotnet executable running these tests (vstest sets DOTNET_HOST_PATH).</summary>
    private static string DotnetHost()
    {
        var host = Environment.GetEnvironmentVariable("DOTNET_HOST_PATH");
        if (!string.IsNullOrEmpty(host) && File.Exists(host)) return host;
        var current = Environment.ProcessPath;
        return current is not null && Path.GetFileNameWithoutExtension(current) == "dotnet" ? current : "dotnet";
    }
}
