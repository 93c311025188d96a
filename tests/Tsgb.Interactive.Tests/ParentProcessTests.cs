using System.Diagnostics;
using TsgbKit.Interactive.Tests.Support;

namespace TsgbKit.Interactive.Tests;

/// <summary>A kernel whose launcher died without a shutdown_request stops by itself (JPY_PARENT_PID).</summary>
public sealed class ParentProcessTests
{
    [Fact]
    public void KernelStopsWhenItsParentIsGone()
    {
        var directory = Directory.CreateTempSubdirectory("tsgb-kernel-parent-").FullName;
        using var parent = Process.Start(new ProcessStartInfo("sleep", "120") { UseShellExecute = false })!;
        try
        {
            using var kernel = new KernelProcess(directory, parent.Id);
            kernel.Client.WaitForReady(KernelProcess.StartTimeout);
            Assert.False(kernel.WaitForExit(TimeSpan.FromSeconds(1)));

            parent.Kill();
            parent.WaitForExit();
            Assert.True(kernel.WaitForExit(TimeSpan.FromSeconds(30)), "the kernel outlived its parent:\n" + kernel.Stderr);
        }
        finally
        {
            if (!parent.HasExited) parent.Kill();
            try { Directory.Delete(directory, recursive: true); } catch (IOException) { }
        }
    }
}
