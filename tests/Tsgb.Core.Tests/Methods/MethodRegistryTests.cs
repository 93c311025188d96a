using TsgbKit.Errors;
using TsgbKit.Methods;
using TsgbKit.Tests.Engine;
using static TorchSharp.torch;

namespace TsgbKit.Tests.Methods;

/// <summary>The one registry of methods: names, aliases, settings, and the properties each method declares.</summary>
public class MethodRegistryTests
{
    [Fact]
    public void EveryEntryCreatesAMethodOfItsNameThatMapsAtInputResolution()
    {
        using var scope = NewDisposeScope();
        var model = TestModels.SmallVgg();
        var input = TestModels.Input();
        foreach (var entry in MethodCatalog.Entries)
        {
            var method = MethodCatalog.Create(entry.Name, entry.Wraps ? new MethodSettings { Samples = 2 } : null);
            Assert.Equal(entry.Name, method.Name);
            Assert.False(string.IsNullOrWhiteSpace(method.Description), entry.Name);
            using var result = method.Attribute(model, input, [1L]);
            Assert.Equal(new long[] { 1, 32, 32 }, result.Maps.shape);
            // an unsigned method's raw map is never negative: what Signed promises
            if (!method.Signed) Assert.True(result.Maps.min().item<float>() >= 0, $"{entry.Name} says unsigned but maps below 0");
        }
    }

    [Fact]
    public void NamesAndAliasesAreUniqueAndAliasesResolve()
    {
        var spellings = MethodCatalog.Entries.SelectMany(e => e.Aliases.Prepend(e.Name)).Select(s => s.ToLowerInvariant()).ToList();
        Assert.Equal(spellings.Count, spellings.Distinct().Count());
        Assert.Equal(MethodCatalog.Entries.Select(e => e.Name), MethodCatalog.Names);
        foreach (var entry in MethodCatalog.Entries)
            foreach (var alias in entry.Aliases)
            {
                Assert.Same(entry, MethodCatalog.Find(alias));
                Assert.Same(entry, MethodCatalog.Find(" " + alias.ToUpperInvariant()));
                Assert.Equal(entry.Name, MethodCatalog.Create(alias, entry.Wraps ? new MethodSettings { Samples = 1 } : null).Name);
            }
    }

    [Fact]
    public void AnUnknownNameIsAUserErrorListingTheKnownNames()
    {
        var error = Assert.Throws<TsgbInputException>(() => MethodCatalog.Create("gradcamm"));
        Assert.Contains("unknown method 'gradcamm'", error.Message);
        foreach (var name in MethodCatalog.Names) Assert.Contains(name, error.Message);
        Assert.Throws<TsgbInputException>(() => MethodCatalog.ParseList("gradient,nope"));
        Assert.Throws<TsgbInputException>(() => MethodCatalog.ParseList(" , "));
    }

    [Theory]
    [InlineData("gradcam", "--beta")]
    [InlineData("gradient", "--layer")]
    [InlineData("tsgb-fc", "--from")]
    [InlineData("tsgb", "--samples")]
    [InlineData("normgrad", "--inner")]
    public void ASettingTheMethodDoesNotReadIsRefusedNamingBoth(string name, string option)
    {
        var settings = option switch
        {
            "--beta" => new MethodSettings { Beta = 0.8 },
            "--layer" => new MethodSettings { Layer = "features.3" },
            "--from" => new MethodSettings { From = "features.3" },
            "--samples" => new MethodSettings { Samples = 4 },
            _ => new MethodSettings { Inner = "tsgb" },
        };
        var error = Assert.Throws<TsgbInputException>(() => MethodCatalog.Create(name, settings));
        Assert.Contains(option, error.Message);
        Assert.Contains(name, error.Message);
        Assert.Single(error.Message.Split('\n'));
    }

    [Fact]
    public void AWrapperPassesSettingsToItsInnerMethodAndRefusesWhatNeitherReads()
    {
        var smooth = (SmoothGrad)MethodCatalog.Create("smoothgrad", new MethodSettings { Inner = "tsgb", Beta = 0.8, Samples = 3 });
        Assert.Equal(3, smooth.Samples);
        Assert.Contains("tsgb-fc(β=0.8)", ((TsgbMethod)smooth.Inner).Rules.Name);
        var error = Assert.Throws<TsgbInputException>(() => MethodCatalog.Create("smoothgrad", new MethodSettings { Beta = 0.8 }));
        Assert.Contains("--beta does not apply to smoothgrad of gradient", error.Message);
        Assert.Throws<TsgbInputException>(() => MethodCatalog.Create("integrated-gradients", new MethodSettings { Inner = "gradcam" }));
    }

    [Fact]
    public void SeveralMethodsTakeEachSettingWhereItAppliesAndRefuseOneNoneReads()
    {
        var methods = MethodCatalog.CreateEach(["gradcam", "tsgb"], new MethodSettings { Beta = 0.8, Layer = "features.3" });
        Assert.Equal("features.3", ((GradCam)methods[0]).Layer);
        Assert.Contains("β=0.8", ((TsgbMethod)methods[1]).Rules.Name);
        var error = Assert.Throws<TsgbInputException>(() => MethodCatalog.CreateEach(["gradient", "gradcam"], new MethodSettings { Beta = 0.8 }));
        Assert.Contains("--beta", error.Message);
        Assert.Contains("tsgb", error.Message); // says who would read it
        Assert.Equal(MethodCatalog.Names, MethodCatalog.CreateAll().Select(m => m.Name));
    }

    [Fact]
    public void PropertiesLiveOnTheMethods()
    {
        var model = TestModels.SmallVgg();
        var all = MethodCatalog.CreateAll();
        // what the pointing game blurs (TorchRay's gradient-like maps) and what is signed
        Assert.Equal(["gradient", "guided-backprop", "deconvnet"], all.Where(m => m.GradientLike).Select(m => m.Name));
        Assert.Equal(["input-x-gradient", "tsgb", "tsgb-conv", "tsgb-fc", "integrated-gradients"], all.Where(m => m.Signed).Select(m => m.Name));
        Assert.Equal(["gradcam", "gradcam++", "guided-gradcam", "normgrad", "normgrad-selective"], all.Where(m => m.ReadsLayer).Select(m => m.Name));
        Assert.All(all.Where(m => m.ReadsLayer), m => Assert.Equal(model.CamLayer, m.LayerOn(model)));
        Assert.All(all.Where(m => !m.ReadsLayer), m => Assert.Null(m.LayerOn(model)));
        Assert.Equal("features.3", MethodCatalog.Create("normgrad", new MethodSettings { Layer = "features.3" }).LayerOn(model));
        Assert.All(all, m => Assert.True(m.SupportsStatistics, m.Name));
    }
}
