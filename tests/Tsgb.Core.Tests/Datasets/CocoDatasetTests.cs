using TsgbKit.Datasets;
using TsgbKit.Synthetic;
using static TsgbKit.Tests.Datasets.TinyDatasets;

namespace TsgbKit.Tests.Datasets;

public class CocoDatasetTests
{
    [Fact]
    public void ReadsImagesInIdOrderWithMasksFromPolygonsAndRle()
    {
        using var coco = new CocoDataset(Coco());
        Assert.Equal("coco14:val2014", coco.Name);
        var images = coco.Images().ToList();
        Assert.Equal(["COCO_val2014_000000000004", "COCO_val2014_000000000009"], images.Select(i => i.Id));
        // image 4: the crowd RLE cat (category 17 → class 15) covers columns 36..39
        var cat = images[0].Regions.Single();
        Assert.Equal(15, cat.ClassIndex);
        Assert.Equal(4 * 30, cat.Mask!.Area);
        Assert.Equal(new Box(36, 0, 40, 30), cat.Mask.BoundingBox());
        // image 9: person (category 1 → class 0) and dog (category 18 → class 16)
        Assert.Equal([0, 16], images[1].Regions.Select(r => r.ClassIndex));
        var dog = images[1].Regions[1];
        Assert.Equal(new Box(10, 8, 30, 22), dog.Boxes.Single());
        Assert.Equal(new Box(10, 8, 30, 22), dog.Mask!.BoundingBox());
        Assert.Equal(20 * 14, dog.Mask.Area);
        Assert.True(dog.Mask[11, 9] && dog.Mask[28, 20] && !dog.Mask[5, 5] && !dog.Mask[35, 15]);
    }

    [Fact]
    public void RectanglePolygonCoversItsPixelsAsCocoDoes()
    {
        // COCO's rasteriser on the polygon (2,1)-(6,1)-(6,4)-(2,4), worked by hand through rleFrPoly: the column
        // crossings (x + .5 on the 5× grid) fall at x = 2…5, the row boundaries at ⌈(5·1 + .5)/5 − .5⌉ = 1 and
        // ⌈(5·4 + .5)/5 − .5⌉ = 4, so pixels x 2…5, y 1…3: the w × h = 4 × 3 pixels of the box
        var mask = CocoMasks.FromPolygon([2, 1, 6, 1, 6, 4, 2, 4], 10, 8);
        Assert.Equal(new Box(2, 1, 6, 4), mask.BoundingBox());
        Assert.Equal(12, mask.Area);
    }

    [Fact]
    public void RleCountsAreColumnMajorAndTheCompressedStringDecodes()
    {
        // 4 wide × 3 high: 4 zeros (column 0 and the first pixel of column 1), 2 ones, 6 zeros
        var mask = CocoMasks.FromCounts([4, 2, 6], 4, 3);
        Assert.Equal(2, mask.Area);
        Assert.True(mask[1, 1] && mask[1, 2]);
        // one character per small count (value + 48); from the fourth count on, the difference to the count two back
        Assert.Equal("4261", CocoMasks.EncodeCountsString([4, 2, 6, 3]));
        Assert.Equal([4L, 2, 6, 3], CocoMasks.DecodeCountsString("4261"));
        long[] counts = [1200, 37, 5, 900, 12000, 3, 1, 64];
        Assert.Equal(counts, CocoMasks.DecodeCountsString(CocoMasks.EncodeCountsString(counts)));
        var rectangle = CocoMasks.FromPolygon([2, 1, 6, 1, 6, 4, 2, 4], 10, 8);
        Assert.Equal(rectangle.Data, CocoMasks.FromCounts(CocoMasks.ToCounts(rectangle), 10, 8).Data);
        Assert.Throws<DatasetException>(() => CocoMasks.FromCounts([4, 20], 4, 3));
    }

    [Fact]
    public void CompressedRleSegmentationIsRead()
    {
        var counts = CocoMasks.EncodeCountsString([36 * 30, 4 * 30]);
        using var coco = new CocoDataset(Coco(json =>
        {
            var annotations = (object[])json["annotations"];
            ((Dictionary<string, object>)annotations[2])["segmentation"] = new Dictionary<string, object> { ["size"] = new[] { 30, 40 }, ["counts"] = counts };
        }));
        Assert.Equal(4 * 30, coco.Images().First().Regions.Single().Mask!.Area);
    }

    [Fact]
    public void UnknownCategoryIsNamed()
    {
        var e = Assert.Throws<DatasetException>(() => new CocoDataset(Coco(json =>
            ((Dictionary<string, object>)((object[])json["annotations"])[0])["category_id"] = 12)));
        Assert.EndsWith("instances_val2014.json", e.File);
        Assert.Contains("unknown class (category_id 12)", e.Message);
    }

    [Fact]
    public void MalformedJsonIsNamed()
    {
        var root = Coco();
        var file = Path.Combine(root, "annotations", "instances_val2014.json");
        File.WriteAllText(file, "{\"images\": [");
        var e = Assert.Throws<DatasetException>(() => new CocoDataset(root));
        Assert.Equal(file, e.File);
        Assert.Contains("malformed JSON", e.Message);
    }

    [Fact]
    public void MissingImageAndEmptySplitAreNamed()
    {
        var root = Coco();
        File.Delete(Path.Combine(root, "val2014", "COCO_val2014_000000000009.jpg"));
        using (var coco = new CocoDataset(root))
        {
            var e = Assert.Throws<DatasetException>(() => coco.Images().ToList());
            Assert.EndsWith("COCO_val2014_000000000009.jpg", e.File);
        }
        var empty = Assert.Throws<DatasetException>(() => new CocoDataset(Coco(json => { json["images"] = Array.Empty<object>(); json["annotations"] = Array.Empty<object>(); })));
        Assert.Contains("empty", empty.Message);
    }

    [Fact]
    public void BoxOutsideTheImageIsNamed()
    {
        using var coco = new CocoDataset(Coco(json =>
            ((Dictionary<string, object>)((object[])json["annotations"])[0])["bbox"] = new[] { 30.0, 8, 20, 14 }));
        var e = Assert.Throws<DatasetException>(() => coco.Images().ToList());
        Assert.Contains("outside the 40×30 image", e.Message);
    }
}
