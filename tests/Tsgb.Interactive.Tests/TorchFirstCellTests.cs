using TsgbKit.Interactive.Tests.Support;

namespace TsgbKit.Interactive.Tests;

/// <summary>A fresh kernel whose very first cell uses TorchSharp: the native library must already be loadable.</summary>
public sealed class TorchFirstCellTests
{
    [Fact]
    public void TorchSharpWorksInTheFirstCell()
    {
        var directory = Directory.CreateTempSubdirectory("tsgb-kernel-torch-").FullName;
        try
        {
            using var kernel = new KernelProcess(directory);
            kernel.Client.WaitForReady(KernelProcess.StartTimeout);
            var result = kernel.Client.Execute("using static TorchSharp.torch;\nstring.Join(\"x\", randn(2, 3).shape)", KernelFixture.CellTimeout);
            Assert.True(result.Status == "ok", result + "\n" + kernel.Stderr);
            Assert.Equal("2x3", result.ResultText);
        }
        finally
        {
            try { Directory.Delete(directory, recursive: true); } catch (IOException) { }
        }
    }
}
