using System.Text;
using TsgbKit.Native;
using TorchSharp;

namespace TsgbKit.Tests.Native;

public class TorchNativeTests
{
    [Fact]
    public void TorchSharpLoadsAndComputesAGradient()
    {
        TorchNative.EnsureLoaded();
        using var scope = torch.NewDisposeScope();
        var x = torch.tensor(new float[] { 1, 2, 3 }).requires_grad_();
        var y = (x * x).sum();
        y.backward();
        Assert.Equal(new float[] { 2, 4, 6 }, x.grad!.data<float>().ToArray());
    }

    [Fact]
    public void PatchedCopyIsUsedOnlyWhereTheSystemLacksTheVersion()
    {
        TorchNative.EnsureLoaded();
        bool systemHasIt = File.ReadAllText("/proc/self/maps").Split('\n')
            .Where(l => l.Contains("libstdc++.so.6")).Select(l => l[(l.IndexOf('/'))..]).Distinct()
            .Any(path => Encoding.ASCII.GetString(File.ReadAllBytes(path)).Contains("GLIBCXX_3.4.32"));
        if (systemHasIt)
            Assert.Null(TorchNative.PatchedCopy);
        else
        {
            Assert.NotNull(TorchNative.PatchedCopy);
            var needs = ElfVersionNeed.StrongNeeds(File.ReadAllBytes(TorchNative.PatchedCopy!));
            Assert.DoesNotContain("GLIBCXX_3.4.32", needs);
            Assert.Contains("GLIBCXX_3.4.19", needs); // only the one entry was relaxed
        }
    }

    [Fact]
    public void MakeWeakRejectsFilesThatAreNotElf()
    {
        var error = Assert.Throws<InvalidDataException>(() => ElfVersionNeed.MakeWeak(new byte[100], "X"));
        Assert.Contains("ELF", error.Message);
    }
}
