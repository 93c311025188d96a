using System.Text;
using TsgbKit.Weights;

namespace TsgbKit.Tests.Weights;

/// <summary>
/// A checkpoint's pickle may ask for anything; Tsgb admits tensors and plain containers only, refuses the rest with
/// the global named, and runs nothing. The malicious fixtures were checked, when they were generated, to run their
/// command under PyTorch's own torch.load (tests/python/make_pth_fixtures.py), so a missing marker here proves
/// that Tsgb executed nothing, not that the payload was inert.
/// </summary>
public class PickleSafetyTests
{
    [Theory]
    [InlineData("malicious_system.pth", "/tmp/tsgb-pth-fixture-executed-system", "posix.system")]
    [InlineData("malicious_exec.pth", "/tmp/tsgb-pth-fixture-executed-exec", "builtins.exec")]
    [InlineData("malicious_legacy.pth", "/tmp/tsgb-pth-fixture-executed-legacy", "posix.system")]
    public void AMaliciousCheckpointIsRefusedNamingTheGlobalAndRunsNothing(string fixture, string marker, string global)
    {
        var path = Fixtures.PyTorch(fixture);
        var pickled = Encoding.ASCII.GetString(File.ReadAllBytes(path));
        Assert.Contains(global.Split('.')[1], pickled); // the payload is really in the file
        if (File.Exists(marker)) File.Delete(marker);

        var model = TorchSharp.torch.nn.Linear(3, 2);
        var before = model.weight!.data<float>().ToArray();
        var error = Assert.Throws<WeightsException>(() => StateDict.Load(model, path));
        var described = Assert.Throws<WeightsException>(() => WeightsFile.Describe(path));

        Assert.Contains(path, error.Message);
        Assert.Contains($"asks for {global}; only tensors and plain containers are allowed", error.Message);
        Assert.Contains("without running anything", error.Message);
        Assert.Equal(error.Message, described.Message);
        Assert.DoesNotContain('\n', error.Message);
        Assert.False(File.Exists(marker), $"{marker} exists: the payload of {fixture} ran");
        Assert.Equal(before, model.weight!.data<float>().ToArray());
    }

    [Fact]
    public void AWholePickledModelIsRefusedWithTheWayOut()
    {
        var path = Fixtures.PyTorch("tiny_resnet_module.pth");

        var error = Assert.Throws<WeightsException>(() => WeightsFile.Open(path));

        Assert.Contains("asks for tsgb_ref.ResNet", error.Message);
        Assert.Contains("torch.save(model.state_dict(), path)", error.Message);
    }

    [Theory]
    [InlineData("builtins", "eval")]
    [InlineData("torch", "load")]                   // a torch name is not enough: only the listed ones
    [InlineData("torch._utils", "_rebuild_qtensor")]
    [InlineData("collections", "defaultdict")]
    [InlineData("numpy.core.multiarray", "_reconstruct")]
    [InlineData("__builtin__", "getattr")]
    public void EveryGlobalOutsideTheAllowListIsRefusedByName(string module, string name)
    {
        using var folder = new TempFolder();
        var path = folder.File("global.pth");
        TorchSaveWriter.WriteRaw(path, new PickleBuilder().Proto().Global(module, name).Str("x").Raw(0x85).Reduce().Stop().ToArray());

        var error = Assert.Throws<WeightsException>(() => WeightsFile.Open(path));

        Assert.Contains($"asks for {module}.{name};", error.Message);
    }

    [Fact]
    public void AStackGlobalBuiltFromMemoizedStringsIsRefusedToo()
    {
        using var folder = new TempFolder();
        var path = folder.File("stack-global.pth");
        // 'os' and 'system' pushed, memoized, fetched back, then STACK_GLOBAL: the name is only known at run time
        var pickle = new PickleBuilder().Proto(4).Str("os").Put(0).Str("system").Put(1).Raw((byte)'0', (byte)'0')
            .Get(0).Get(1).Raw(0x93).Str("touch /tmp/never").Raw(0x85).Reduce().Stop().ToArray();
        TorchSaveWriter.WriteRaw(path, pickle);

        var error = Assert.Throws<WeightsException>(() => WeightsFile.Open(path));

        Assert.Contains("asks for os.system;", error.Message);
        Assert.False(File.Exists("/tmp/never"));
    }

    [Theory]
    [InlineData(new byte[] { 0x81 }, "NEWOBJ (builds an instance of a class)")]
    [InlineData(new byte[] { (byte)'i' }, "INST (builds an instance of a class)")]
    [InlineData(new byte[] { (byte)'P' }, "PERSID")]
    [InlineData(new byte[] { 0x82, 1 }, "EXT")]
    public void OpcodesThatBuildObjectsAreRefused(byte[] opcode, string named)
    {
        using var folder = new TempFolder();
        var path = folder.File("opcode.pth");
        TorchSaveWriter.WriteRaw(path, new PickleBuilder().Proto().Global("collections", "OrderedDict").EmptyTuple().Raw(opcode).Stop().ToArray());

        var error = Assert.Throws<WeightsException>(() => WeightsFile.Open(path));

        Assert.Contains(named, error.Message);
        Assert.Contains("only tensors and plain containers are allowed", error.Message);
    }

    [Fact]
    public void BuildIsRefusedOnAnythingButADict()
    {
        using var folder = new TempFolder();
        var path = folder.File("build.pth");
        // BUILD on a list would be __setstate__ on an arbitrary object in Python
        TorchSaveWriter.WriteRaw(path, new PickleBuilder().Proto().EmptyList().EmptyDict().Build().Stop().ToArray());

        var error = Assert.Throws<WeightsException>(() => WeightsFile.Open(path));

        Assert.Contains("uses BUILD", error.Message);
        Assert.Contains("on a list", error.Message);
    }

    [Fact]
    public void AStorageTypeCannotBeCalled()
    {
        using var folder = new TempFolder();
        var path = folder.File("call-storage.pth");
        TorchSaveWriter.WriteRaw(path, new PickleBuilder().Proto().Global("torch", "FloatStorage").EmptyTuple().Reduce().Stop().ToArray());

        var error = Assert.Throws<WeightsException>(() => WeightsFile.Open(path));

        Assert.Contains("torch.FloatStorage in the pickle is a type name, not something a checkpoint may call", error.Message);
    }

    [Fact]
    public void TorchScriptArchivesAreNamedAsSuch()
    {
        using var folder = new TempFolder();
        var path = folder.File("scripted.pt");
        using (var zip = System.IO.Compression.ZipFile.Open(path, System.IO.Compression.ZipArchiveMode.Create))
        {
            TorchSaveWriter.Add(zip, "scripted/data.pkl", new PickleBuilder().Proto().Global("__torch__.torchvision.models.resnet", "ResNet").Stop().ToArray());
            TorchSaveWriter.Add(zip, "scripted/code/__torch__/torchvision/models/resnet.py", "def forward(self, x): ..."u8.ToArray());
        }

        var error = Assert.Throws<WeightsException>(() => WeightsFile.Open(path));

        Assert.Contains("TorchScript archive (torch.jit.save)", error.Message);
    }

    [Theory]
    [InlineData("<!DOCTYPE html>\n<html><head><title>404</title>", "the text \"<!DOCTYPE html> <html><h\" (a web page saved in place of the download?)")]
    [InlineData("\u0001\u0002\u0003\u0004\u0005\u0006\u0007\u0008\u0009\u000a\u000b", "the bytes 0102030405060708")]
    public void AFileOfNeitherFormatSaysWhatItStartsWith(string content, string expected)
    {
        using var folder = new TempFolder();
        var path = folder.File("weights.pth");
        File.WriteAllText(path, content, Encoding.Latin1);

        var error = Assert.Throws<WeightsException>(() => WeightsFile.Open(path));

        Assert.Equal($"Weights file '{path}': is neither safetensors nor a PyTorch checkpoint: it starts with {expected}", error.Message);
    }

    [Fact]
    public void EmptyShortAndTarFilesAreNamed()
    {
        using var folder = new TempFolder();
        var empty = folder.File("empty.pth");
        File.WriteAllBytes(empty, []);
        Assert.Contains("is empty: neither safetensors nor a PyTorch checkpoint", Assert.Throws<WeightsException>(() => WeightsFile.Open(empty)).Message);

        var tar = folder.File("old.pth.tar");
        var header = new byte[1024];
        "ustar"u8.CopyTo(header.AsSpan(257));
        File.WriteAllBytes(tar, header);
        Assert.Contains("is a tar archive", Assert.Throws<WeightsException>(() => WeightsFile.Open(tar)).Message);

        var pickle = folder.File("plain.pkl");
        File.WriteAllBytes(pickle, new PickleBuilder().Proto().EmptyDict().Stop().ToArray());
        Assert.Contains("without PyTorch's magic number", Assert.Throws<WeightsException>(() => WeightsFile.Open(pickle)).Message);
    }
}
