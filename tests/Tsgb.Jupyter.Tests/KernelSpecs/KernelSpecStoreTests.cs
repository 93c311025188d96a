using System.Text.Json.Nodes;
using TsgbKit.Jupyter.KernelSpecs;

namespace TsgbKit.Jupyter.Tests.KernelSpecs;

public sealed class KernelSpecStoreTests : IDisposable
{
    private readonly string _prefix = Path.Combine(Path.GetTempPath(), "tsgb-kernelspec-" + Guid.NewGuid().ToString("N"));

    public void Dispose()
    {
        if (Directory.Exists(_prefix)) Directory.Delete(_prefix, recursive: true);
    }

    [Fact]
    public void Install_list_and_uninstall_in_a_prefix()
    {
        var name = "Test-Kernel-" + Guid.NewGuid().ToString("N")[..8];
        var spec = new KernelSpec(["/opt/tool", "kernel", "-f", "{connection_file}"], "Test Kernel", "testlang")
        {
            Env = new Dictionary<string, string> { ["A"] = "1" },
            Metadata = new JsonObject { ["debugger"] = false },
        };
        var logo32 = new byte[] { 0x89, 0x50, 0x4E, 0x47, 1 };
        var logo64 = new byte[] { 0x89, 0x50, 0x4E, 0x47, 2 };

        var dir = KernelSpecStore.Install(name, spec, KernelSpecLocation.Prefix(_prefix), new KernelSpecLogos(logo32, logo64));

        Assert.Equal(Path.Combine(_prefix, "share", "jupyter", "kernels", name.ToLowerInvariant()), dir);
        Assert.Equal(logo32, File.ReadAllBytes(Path.Combine(dir, "logo-32x32.png")));
        Assert.Equal(logo64, File.ReadAllBytes(Path.Combine(dir, "logo-64x64.png")));
        var json = JsonNode.Parse(File.ReadAllText(Path.Combine(dir, "kernel.json")))!.AsObject();
        Assert.Equal("{connection_file}", json["argv"]![3]!.GetValue<string>());
        Assert.Equal("message", json["interrupt_mode"]!.GetValue<string>());
        Assert.Equal("1", json["env"]!["A"]!.GetValue<string>());

        var listed = Assert.Single(KernelSpecStore.List([_prefix]), s => s.Name == name.ToLowerInvariant());
        Assert.Equal("Test Kernel", listed.Spec.DisplayName);
        Assert.Equal(spec.Argv, listed.Spec.Argv);
        Assert.Equal(dir, KernelSpecStore.Find(name, [_prefix])!.Directory);

        Assert.Equal(dir, KernelSpecStore.Uninstall(name, KernelSpecLocation.Prefix(_prefix)));
        Assert.False(Directory.Exists(dir));
        Assert.DoesNotContain(KernelSpecStore.List([_prefix]), s => s.Name == name.ToLowerInvariant());
        Assert.Null(KernelSpecStore.Uninstall(name, KernelSpecLocation.Prefix(_prefix)));
    }

    [Fact]
    public void Reinstall_replaces_the_old_files()
    {
        var location = KernelSpecLocation.Prefix(_prefix);
        var dir = KernelSpecStore.Install("replace-me", new KernelSpec(["a"], "Old", "x"), location, new KernelSpecLogos(new byte[] { 1 }));
        KernelSpecStore.Install("replace-me", new KernelSpec(["b"], "New", "x"), location);

        Assert.False(File.Exists(Path.Combine(dir, "logo-32x32.png")));
        Assert.Equal("New", KernelSpec.FromJson(File.ReadAllText(Path.Combine(dir, "kernel.json"))).DisplayName);
    }

    [Theory]
    [InlineData("bad name")]
    [InlineData("../escape")]
    [InlineData("")]
    public void Invalid_names_are_rejected(string name)
    {
        Assert.Throws<ArgumentException>(() =>
            KernelSpecStore.Install(name, new KernelSpec(["a"], "A", "x"), KernelSpecLocation.Prefix(_prefix)));
    }

    [Fact]
    public void Locations_follow_jupyter_conventions()
    {
        Assert.Equal(Path.Combine("/p", "share", "jupyter", "kernels"), KernelSpecLocation.Prefix("/p").KernelsDirectory);
        if (!OperatingSystem.IsLinux()) return;
        Assert.Equal("/usr/local/share/jupyter/kernels", KernelSpecLocation.System().KernelsDirectory);
        Assert.EndsWith(Path.Combine("jupyter", "kernels"), KernelSpecLocation.User().KernelsDirectory);
        var search = JupyterPaths.DataSearchPath(["/p"]);
        Assert.True(search.ToList().IndexOf(JupyterPaths.UserDataDirectory()) < search.ToList().IndexOf("/p/share/jupyter"));
        Assert.Equal("/usr/share/jupyter", search[^1]);
    }
}
