using TsgbKit.Datasets;
using TsgbKit.Synthetic;
using static TsgbKit.Tests.Datasets.TinyDatasets;

namespace TsgbKit.Tests.Datasets;

public class VocDatasetTests
{
    [Fact]
    public void ReadsSplitAnnotationsAndBoxesAsTorchRayDoes()
    {
        var voc = new VocDataset(Voc());
        Assert.Equal("voc07:test", voc.Name);
        Assert.Equal(3, voc.Count);
        Assert.Equal(20, voc.Classes.Count);
        var images = voc.Images().ToList();
        Assert.Equal(["000001", "000002", "000003"], images.Select(i => i.Id));
        Assert.Equal([0, 1, 2], images.Select(i => i.Index));
        var first = images[0];
        Assert.Equal((60, 40), (first.Width, first.Height));
        // dog (11) and person (14), class index ascending; 1-based inclusive corners → pixels xmin-1 … xmax-1
        Assert.Equal([11, 14], first.Regions.Select(r => r.ClassIndex));
        Assert.Equal(new Box(24, 14, 35, 25), first.Regions[0].Boxes.Single());
        var mask = first.Regions[0].RegionMask(60, 40);
        Assert.Equal(11 * 11, mask.Area);
        Assert.True(mask[24, 14] && mask[34, 24] && !mask[35, 24] && !mask[23, 14]);
        // cat is difficult only: flagged; car has a difficult and a plain box: not flagged, both boxes in its region
        var second = images[1];
        Assert.True(second.Regions.Single(r => r.ClassIndex == 7).Difficult);
        Assert.False(second.Regions.Single(r => r.ClassIndex == 2).Difficult);
        var car = images[2].Regions.Single();
        Assert.False(car.Difficult);
        Assert.Equal(2, car.Boxes.Count);
        Assert.Equal(11 * 7 + 21 * 21, car.RegionMask(60, 40).Area);
        var pixels = first.Load();
        Assert.Equal((60, 40), (pixels.Width, pixels.Height));
    }

    [Fact]
    public void AcceptsTheVoc2007FolderItself()
    {
        var root = Voc();
        Assert.Equal(3, new VocDataset(Path.Combine(root, "VOC2007")).Count);
    }

    static DatasetException Bad(Action<string> damage)
    {
        var root = Voc();
        damage(Path.Combine(root, "VOC2007"));
        return Assert.Throws<DatasetException>(() => new VocDataset(root).Images().Select(i => i.Load()).ToList());
    }

    [Fact]
    public void MissingImageIsNamed()
    {
        var e = Bad(voc => File.Delete(Path.Combine(voc, "JPEGImages", "000002.jpg")));
        Assert.EndsWith("000002.jpg", e.File);
        Assert.Contains("image not found", e.Message);
    }

    [Fact]
    public void MalformedXmlIsNamed()
    {
        var e = Bad(voc => File.WriteAllText(Path.Combine(voc, "Annotations", "000003.xml"), "<annotation><size>"));
        Assert.EndsWith("000003.xml", e.File);
        Assert.Contains("malformed XML", e.Message);
    }

    [Fact]
    public void UnknownClassIsNamed()
    {
        var e = Bad(voc => File.WriteAllText(Path.Combine(voc, "Annotations", "000001.xml"), VocXml(60, 40, [new("unicorn", 1, 1, 5, 5)])));
        Assert.EndsWith("000001.xml", e.File);
        Assert.Contains("unknown class 'unicorn'", e.Message);
    }

    [Fact]
    public void BoxOutsideTheImageIsNamed()
    {
        var e = Bad(voc => File.WriteAllText(Path.Combine(voc, "Annotations", "000001.xml"), VocXml(60, 40, [new("dog", 10, 10, 61, 20)])));
        Assert.EndsWith("000001.xml", e.File);
        Assert.Contains("outside the 60×40 image", e.Message);
    }

    [Fact]
    public void EmptyOrMissingSplitIsNamed()
    {
        var root = Voc();
        var split = Path.Combine(root, "VOC2007", "ImageSets", "Main", "test.txt");
        File.WriteAllText(split, "\n");
        var e = Assert.Throws<DatasetException>(() => new VocDataset(root));
        Assert.Equal(split, e.File);
        Assert.Contains("empty", e.Message);
        var missing = Assert.Throws<DatasetException>(() => new VocDataset(root, "trainval"));
        Assert.EndsWith("trainval.txt", missing.File);
    }

    [Fact]
    public void ImageOfAnotherSizeThanItsAnnotationIsNamed()
    {
        var e = Bad(voc => WriteImage(Path.Combine(voc, "JPEGImages", "000001.jpg"), 30, 40));
        Assert.Contains("30×40", e.Message);
    }

    [Fact]
    public void DifficultSubsetReadsTorchRaysFormatAndPlainLists()
    {
        var folder = NewFolder("difficult");
        var subset = DifficultSubset.Load(VocDifficult(folder), 20);
        Assert.True(subset.Contains("000001", 11));
        Assert.False(subset.Contains("000001", 14));
        Assert.False(subset.Contains("000002", 2));
        Assert.True(subset.Contains("000003", 6)); // not listed: kept, as TorchRay does
        var plain = Path.Combine(folder, "plain.txt");
        File.WriteAllLines(plain, ["000002", "# a comment", ""]);
        var list = DifficultSubset.Load(plain, 20);
        Assert.True(list.Contains("000002", 2));
        Assert.False(list.Contains("000001", 11));
        var bad = Path.Combine(folder, "bad.txt");
        File.WriteAllLines(bad, ["000001\t1\t0"]);
        Assert.Contains("2 class flags for a dataset of 20 classes", Assert.Throws<DatasetException>(() => DifficultSubset.Load(bad, 20)).Message);
    }

    [Fact]
    public void ShardsAreDisjointRoundRobinAndCoverEverything()
    {
        var shards = Enumerable.Range(0, 3).Select(i => new Shard(i, 3)).ToList();
        var indices = Enumerable.Range(0, 10).ToList();
        Assert.Equal([0, 3, 6, 9], indices.Where(shards[0].Contains));
        Assert.Equal(indices, shards.SelectMany(s => indices.Where(s.Contains)).Order());
        Assert.Equal(new Shard(2, 5), Shard.Parse("2/5"));
        Assert.Throws<TsgbKit.Errors.TsgbInputException>(() => Shard.Parse("5/5"));
        Assert.Throws<TsgbKit.Errors.TsgbInputException>(() => Shard.Parse("x"));
    }

    [Fact]
    public void DatasetSpecParsesTheThreeKinds()
    {
        Assert.IsType<VocDataset>(DatasetSpec.Open("voc07:" + Voc()));
        Assert.IsType<CocoDataset>(DatasetSpec.Open("coco14:" + Coco()));
        var scenes = DatasetSpec.Open("scenes:5");
        Assert.Equal(5, scenes.Count);
        Assert.Equal(7.5, scenes.Tolerance);
        Assert.Throws<TsgbKit.Errors.TsgbInputException>(() => DatasetSpec.Open("imagenet:/x"));
        Assert.Throws<DatasetException>(() => DatasetSpec.Open("voc07:/no/such/folder"));
    }
}
