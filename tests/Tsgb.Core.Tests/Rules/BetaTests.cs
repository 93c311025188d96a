using TsgbKit.Rules;

namespace TsgbKit.Tests.Rules;

/// <summary>β belongs to TSGB-FC: the last call wins, the name shows one β, and a composite without TSGB-FC refuses it.</summary>
public class BetaTests
{
    private static TsgbFcRule FcRule(Composite composite) => composite.Entries.Select(e => e.Rule).OfType<TsgbFcRule>().Single();

    [Fact]
    public void TheLastBetaWinsAndTheNameShowsOne()
    {
        var composite = Tsgb.Fc.Beta(0.8).Beta(0.5);
        Assert.Equal(0.5, FcRule(composite).Multiplier);
        Assert.Equal("tsgb-fc(β=0.5)", composite.Name);
        Assert.Equal("tsgb-fc(β=0.5)", FcRule(composite).Name);
    }

    [Fact]
    public void BetaOnAComposedCompositeChangesOnlyTsgbFc()
    {
        var composite = Tsgb.Conv.And(Tsgb.Fc).Beta(0.75);
        Assert.Equal(0.75, FcRule(composite).Multiplier);
        Assert.Equal("tsgb-conv + tsgb-fc(β=0.75)", composite.Name);
        Assert.Equal(Tsgb.Conv.And(Tsgb.Fc).Entries.Count, composite.Entries.Count);
    }

    [Fact]
    public void BetaOnACompositeWithoutTsgbFcIsAnError()
    {
        var error = Assert.ThrowsAny<ArgumentException>(() => Tsgb.Conv.Beta(0.5));
        Assert.Contains("tsgb-conv", error.Message);
        Assert.Contains("TSGB-FC", error.Message);
        Assert.ThrowsAny<ArgumentException>(() => Tsgb.Conv.And(Tsgb.Fc).Without<TsgbFcRule>().Beta(0.5));
    }
}
