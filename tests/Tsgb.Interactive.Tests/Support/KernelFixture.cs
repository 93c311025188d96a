using System.Text.Json.Nodes;
using TsgbKit.Demo;
using TsgbKit.Native;
using TsgbKit.Weights;

namespace TsgbKit.Interactive.Tests.Support;

/// <summary>
/// One kernel process for the tests of the "kernel" collection, started cold; its first cell is `1+1`, timed from
/// the process start. Also writes the weights file the explain tests use (untrained scene-vgg, saved with StateDict).
/// </summary>
public sealed class KernelFixture : IDisposable
{
    public static readonly TimeSpan CellTimeout = TimeSpan.FromSeconds(180);

    internal KernelProcess Kernel { get; }

    internal JsonObject KernelInfo { get; }

    internal ExecutionResult FirstCell { get; }

    /// <summary>From starting the process to the execute_result of the first cell.</summary>
    public TimeSpan ColdStart { get; }

    public string Directory { get; } = Path.Combine(Path.GetTempPath(), "tsgb-kernel-tests-" + Guid.NewGuid().ToString("N"));

    public string WeightsFile { get; }

    public KernelFixture()
    {
        System.IO.Directory.CreateDirectory(Directory);
        Kernel = new KernelProcess(Directory);
        try
        {
            KernelInfo = Kernel.Client.WaitForReady(KernelProcess.StartTimeout);
            FirstCell = Kernel.Client.Execute("1+1", CellTimeout);
            ColdStart = Kernel.Started.Elapsed;
        }
        catch (Exception e)
        {
            var stderr = Kernel.Stderr;
            Kernel.Dispose();
            throw new InvalidOperationException($"the kernel did not answer: {e.Message}\nkernel stderr:\n{stderr}", e);
        }

        WeightsFile = Path.Combine(Directory, "scene-vgg-untrained.safetensors");
        TorchNative.EnsureLoaded();
        using var model = DemoModels.Untrained("scene-vgg");
        StateDict.Save(model.Module, WeightsFile);
    }

    internal ExecutionResult Execute(string code) => Kernel.Client.Execute(code, CellTimeout);

    public void Dispose()
    {
        Kernel.Dispose();
        try { System.IO.Directory.Delete(Directory, recursive: true); } catch (IOException) { }
    }
}

[CollectionDefinition("kernel")]
public sealed class KernelCollection : ICollectionFixture<KernelFixture>;
