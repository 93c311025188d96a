using TsgbKit.Jupyter.Text;

namespace TsgbKit.Jupyter.Tests.Protocol;

public sealed class CodePointsTests
{
    [Theory]
    [InlineData("abc", 2, 2)]
    [InlineData("😀abc", 1, 2)]
    [InlineData("a😀b😀c", 4, 6)]
    [InlineData("ab", 10, 2)] // clamped
    public void Code_point_index_maps_to_utf16(string text, int codePoints, int utf16)
    {
        Assert.Equal(utf16, CodePoints.ToUtf16Index(text, codePoints));
        if (codePoints <= text.EnumerateRunes().Count()) Assert.Equal(codePoints, CodePoints.ToCodePointIndex(text, utf16));
    }

    [Fact]
    public void Index_inside_a_surrogate_pair_counts_the_whole_pair()
    {
        Assert.Equal(1, CodePoints.ToCodePointIndex("😀x", 1));
    }
}
