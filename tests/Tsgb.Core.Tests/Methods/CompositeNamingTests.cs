using TsgbKit.Methods;
using TsgbKit.Rules;
using TsgbKit.Tests.Engine;
using static TorchSharp.torch;

namespace TsgbKit.Tests.Methods;

/// <summary>`.With(composite)` is input × the gradient under those rules, and is named so: never two maps under one name.</summary>
public class CompositeNamingTests
{
    [Fact]
    public void NoRulesIsExactlyInputTimesGradientUnderItsName()
    {
        using var scope = NewDisposeScope();
        var model = TestModels.SmallVgg();
        var request = model.Explain(TestModels.Input());
        var composite = request.For(2).With(Tsgb.Gradient);
        var method = request.For(2).With(new InputXGradient());
        Assert.Equal("input-x-gradient", composite.Method);
        Assert.Equal(method.Description, composite.Description);
        Assert.Equal(method.Map, composite.Map);
    }

    [Fact]
    public void ANonTsgbCompositeIsNamedByTheReadingAndTheRules()
    {
        using var scope = NewDisposeScope();
        var model = TestModels.SmallVgg();
        var guided = model.Explain(TestModels.Input()).For(2).With(Tsgb.Guided);
        Assert.Equal("input-x-gradient [guided-backprop rules]", guided.Method);
        Assert.NotEqual(new GuidedBackprop().Name, guided.Method);
        Assert.DoesNotContain("TSGB", guided.Description);
        Assert.Contains("guided-backprop rules", guided.Description);

        var tsgb = model.Explain(TestModels.Input()).For(2).With(Tsgb.Conv.And(Tsgb.Fc.Beta(0.8)));
        Assert.Equal("tsgb-conv + tsgb-fc(β=0.8)", tsgb.Method);
        Assert.StartsWith("TSGB (tsgb-conv + tsgb-fc(β=0.8))", tsgb.Description);
    }

    [Fact]
    public void OneNameIsOneMapAcrossCompositesAndRegistryMethods()
    {
        using var scope = NewDisposeScope();
        var model = TestModels.SmallVgg();
        var request = model.Explain(TestModels.Input()).For(3);
        var maps = new List<(string Name, float[] Map)>();
        foreach (var composite in new[] { Tsgb.Gradient, Tsgb.Guided, Tsgb.Deconv, Tsgb.Conv, Tsgb.Fc, Tsgb.Conv.And(Tsgb.Fc) })
        {
            var e = request.With(composite);
            maps.Add((e.Method, e.Map));
        }
        foreach (var method in MethodCatalog.CreateAll(new MethodSettings { Samples = 2 }))
        {
            var e = request.With(method);
            maps.Add((e.Method, e.Map));
        }
        foreach (var group in maps.GroupBy(m => m.Name).Where(g => g.Count() > 1))
            Assert.All(group, m => Assert.Equal(group.First().Map, m.Map));
    }
}
