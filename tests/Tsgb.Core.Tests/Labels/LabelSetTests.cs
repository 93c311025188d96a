using TsgbKit.Errors;
using TsgbKit.Tests.Weights;
using TsgbKit.Labels;

namespace TsgbKit.Tests.Labels;

public class LabelSetTests
{
    static LabelSet ImageNet => LabelSet.ImageNet;

    static float[] ScoresFavouring(int index)
    {
        var scores = new float[1000];
        scores[index] = 5;
        return scores;
    }

    [Fact]
    public void ImageNetHasTheThousandClassesInTheStandardOrder()
    {
        Assert.Equal(1000, ImageNet.Count);
        Assert.Equal("tench, Tinca tinca", ImageNet[0]);
        Assert.Equal("goldfish, Carassius auratus", ImageNet[1]);
        Assert.Equal("great white shark, white shark, man-eater, man-eating shark, Carcharodon carcharias", ImageNet[2]);
        Assert.Equal("golden retriever", ImageNet[207]);
        Assert.Equal("tabby, tabby cat", ImageNet[281]);
        Assert.Equal("toilet tissue, toilet paper, bathroom tissue", ImageNet[999]);
        Assert.Equal("great white shark", ImageNet.ShortName(2));
        // the WordNet ids of the standard order are strictly increasing
        Assert.NotNull(ImageNet.Ids);
        Assert.Equal("n01440764", ImageNet.Ids![0]);
        Assert.Equal("n15075141", ImageNet.Ids[999]);
        for (int i = 1; i < 1000; i++) Assert.True(string.CompareOrdinal(ImageNet.Ids[i - 1], ImageNet.Ids[i]) < 0, $"ids at {i}");
    }

    [Theory]
    [InlineData("tench, Tinca tinca", 0)]
    [InlineData("TENCH, tinca TINCA", 0)]
    [InlineData("great white shark", 2)]
    [InlineData("white shark", 2)]
    [InlineData("Carcharodon carcharias", 2)]
    [InlineData("golden retriever", 207)]
    [InlineData("golden_retriever", 207)]
    [InlineData("  tabby   cat ", 281)]
    [InlineData("n02099601", 207)]
    [InlineData("207", 207)]
    [InlineData("0", 0)]
    public void ResolvesExactLabelsSynonymsIdsAndIndices(string text, int index)
    {
        Assert.Equal(index, ImageNet.Resolve(text));
    }

    [Fact]
    public void ReportsHowATextMatched()
    {
        Assert.Equal(LabelMatchKind.Exact, ImageNet.Match("golden retriever").Kind);
        Assert.Equal(LabelMatchKind.Synonym, ImageNet.Match("white shark").Kind);
        Assert.Equal(LabelMatchKind.Index, ImageNet.Match("3").Kind);
        Assert.Equal(LabelMatchKind.ContainsWord, ImageNet.Match("shark").Kind);
        Assert.Equal(LabelMatchKind.Contains, ImageNet.Match("retriev").Kind);
    }

    [Fact]
    public void AWordPicksTheBestScoringClassContainingIt()
    {
        // "shark" is a whole word of classes 2 (great white), 3 (tiger) and 4 (hammerhead shark)
        Assert.Equal(2, ImageNet.Resolve("shark"));
        Assert.Equal(4, ImageNet.Resolve("shark", ScoresFavouring(4)));
        Assert.Equal(3, ImageNet.Resolve("Shark", ScoresFavouring(3)));
        // "cat" as a whole word (Egyptian cat, 285) wins over a higher-scoring substring match (catamaran, 484)
        var scores = ScoresFavouring(484);
        scores[285] = 1;
        Assert.Equal(285, ImageNet.Resolve("cat", scores));
    }

    [Fact]
    public void TiedExactLabelsAreBrokenByScore()
    {
        // ImageNet has two classes labelled just "crane": the bird (134) and the machine (517)
        Assert.Equal(134, ImageNet.Resolve("crane"));
        Assert.Equal(517, ImageNet.Resolve("crane", ScoresFavouring(517)));
    }

    [Fact]
    public void UnknownWordListsNearMatches()
    {
        var error = Assert.Throws<LabelException>(() => ImageNet.Resolve("goldfsh"));
        Assert.Contains("'goldfsh'", error.Message);
        Assert.Contains("goldfish", error.Message);
        Assert.InRange(error.Suggestions.Count, 1, 5);
        Assert.Contains(error.Suggestions, m => m.Index == 1);

        error = Assert.Throws<LabelException>(() => ImageNet.Resolve("sharks"));
        Assert.Contains("shark", error.Message);
        Assert.InRange(error.Suggestions.Count, 1, 5);
    }

    [Theory]
    [InlineData("1000")]
    [InlineData("-1")]
    public void OutOfRangeIndexNamesTheRange(string text)
    {
        var error = Assert.Throws<LabelException>(() => ImageNet.Resolve(text));
        Assert.Contains("0 to 999", error.Message);
    }

    [Fact]
    public void ScoresMustCoverEveryClass()
    {
        Assert.Throws<TsgbInputException>(() => ImageNet.Resolve("shark", new float[10]));
    }

    [Fact]
    public void CustomModelsCarryTheirOwnLabels()
    {
        var set = new LabelSet(["cat", "dog", "hot dog, frankfurter"], "pets");
        Assert.Equal(1, set.Resolve("dog"));
        Assert.Equal(2, set.Resolve("frankfurter"));
        Assert.Equal(1, set.Resolve("dog", [0.1f, 0.5f, 0.9f])); // exact beats contains
        var error = Assert.Throws<LabelException>(() => set.Resolve("7"));
        Assert.Contains("0 to 2", error.Message);
        Assert.Contains("pets", error.Message);
    }

    [Fact]
    public void FromFileReadsLinesJsonArraysAndJsonIndexMaps()
    {
        using var folder = new TempFolder();
        var lines = folder.File("labels.txt");
        File.WriteAllText(lines, "cat\r\ndog\nbird, birdie\n\n");
        var set = LabelSet.FromFile(lines);
        Assert.Equal(new[] { "cat", "dog", "bird, birdie" }, set.Labels);
        Assert.Equal("labels.txt", set.Name);

        var array = folder.File("labels.json");
        File.WriteAllText(array, "[\"a\", \"b\"]");
        Assert.Equal(new[] { "a", "b" }, LabelSet.FromFile(array).Labels);

        var map = folder.File("imagenet_class_index.json");
        File.WriteAllText(map, "{\"1\": [\"n02\", \"goldfish\"], \"0\": [\"n01\", \"tench\"]}");
        var fromMap = LabelSet.FromFile(map);
        Assert.Equal(new[] { "tench", "goldfish" }, fromMap.Labels);
        Assert.Equal(new[] { "n01", "n02" }, fromMap.Ids!);

        var synsets = folder.File("synsets.txt");
        File.WriteAllText(synsets, "n01440764 tench, Tinca tinca\nn01443537 goldfish, Carassius auratus\n");
        var fromSynsets = LabelSet.FromFile(synsets);
        Assert.Equal("tench, Tinca tinca", fromSynsets[0]);
        Assert.Equal("n01443537", fromSynsets.Ids![1]);
    }

    [Fact]
    public void FromFileErrorsNameTheFile()
    {
        using var folder = new TempFolder();
        var missing = folder.File("nope.txt");
        Assert.Contains(missing, Assert.Throws<LabelException>(() => LabelSet.FromFile(missing)).Message);

        var empty = folder.File("empty.txt");
        File.WriteAllText(empty, "\n\n");
        Assert.Contains(empty, Assert.Throws<LabelException>(() => LabelSet.FromFile(empty)).Message);

        var bad = folder.File("bad.json");
        File.WriteAllText(bad, "[\"a\", ");
        Assert.Contains(bad, Assert.Throws<LabelException>(() => LabelSet.FromFile(bad)).Message);
    }
}
