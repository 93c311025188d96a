using TsgbKit.Datasets;
using TsgbKit.Errors;
using TsgbKit.Evaluation.Datasets;

namespace TsgbKit.Tests.Datasets;

public class PartFileTests
{
    static PartHeader Header(string shard = "0/1", string model = "vgg16") =>
        new("voc07:test", 3, TsgbKit.Labels.BenchmarkLabels.VocNames, model, "vgg16_voc.safetensors", ["centre baseline", "gradcam"],
            "shorter side 224 (bilinear), caffe normalization", 15, null, shard);

    static PartRecord[] Records(int index, string image, bool hit) =>
    [
        new(index, image, "centre baseline", 11, hit, null, double.NaN),
        new(index, image, "gradcam", 11, !hit, hit ? true : null, 0.25 + index),
    ];

    [Fact]
    public void WritesReadsAndResumesAfterACutOffImage()
    {
        var path = Path.Combine(TinyDatasets.NewFolder("part"), "p.jsonl");
        using (var w = PartWriter.Open(path, Header(), resume: false))
        {
            w.WriteImage(0, "000001", Records(0, "000001", true));
            w.WriteImage(2, "000003", Records(2, "000003", false));
        }
        // a run killed while writing image 1: one whole line and half of another
        File.AppendAllText(path, Records(1, "000002", true)[0].ToJson() + "\n{\"index\":1,\"ima");
        var content = PartFile.Read(path);
        Assert.Equal([0, 2], content.Blocks.Select(b => b.Index));
        Assert.Equal(2, content.IncompleteLines);
        Assert.Equal(0.25, content.Blocks[0].Records[1].Energy);
        Assert.True(double.IsNaN(content.Blocks[0].Records[0].Energy));
        Assert.Null(content.Blocks[1].Records[1].InDifficult);

        Assert.Throws<TsgbStateException>(() => PartWriter.Open(path, Header(), resume: false));
        var other = Assert.Throws<DatasetException>(() => PartWriter.Open(path, Header(model: "resnet50"), resume: true));
        Assert.Contains("model is 'vgg16' there but 'resnet50' here", other.Message);
        using (var w = PartWriter.Open(path, Header(), resume: true))
        {
            Assert.Equal([0, 2], w.Done.Order());
            w.WriteImage(1, "000002", Records(1, "000002", true));
        }
        var resumed = PartFile.Read(path);
        Assert.Equal(0, resumed.IncompleteLines);
        Assert.Equal([0, 2, 1], resumed.Blocks.Select(b => b.Index));
        Assert.Equal(1 + 3 * 3, File.ReadAllLines(path).Length); // header + 3 images × (2 records + done)
    }

    [Fact]
    public void MergeFindsDuplicatesAndMissingImages()
    {
        var folder = TinyDatasets.NewFolder("merge");
        string Part(string name, string shard, params int[] images)
        {
            var path = Path.Combine(folder, name);
            using var w = PartWriter.Open(path, Header(shard), resume: false);
            foreach (var i in images) w.WriteImage(i, $"00000{i + 1}", Records(i, $"00000{i + 1}", i != 1));
            return path;
        }
        var a = Part("a.jsonl", "0/2", 0, 2);
        var b = Part("b.jsonl", "1/2", 1);
        var merged = PartMerge.Merge([a, b]);
        var gradcam = merged.Rows.Single(r => r.Method == "gradcam");
        Assert.Equal(3, gradcam.Pairs);
        Assert.Equal(1 / 3.0 / 20, gradcam.Pointing, 12);       // dog: 1 hit of 3; mean over VOC's 20 classes
        Assert.Equal(2, gradcam.DifficultPairs);                 // images 0 and 2 are in the difficult column, both missed
        Assert.Equal(0, gradcam.PointingDifficult, 12);
        Assert.Equal((0.25 + 1.25 + 2.25) / 3, gradcam.EnergyInBox, 12);
        Assert.True(double.IsNaN(merged.Rows[0].PointingDifficult));

        var dup = Part("dup.jsonl", "1/2", 1);
        var e = Assert.Throws<DatasetException>(() => PartMerge.Merge([a, b, dup]));
        Assert.Contains("also in", e.Message);
        var missing = Assert.Throws<TsgbStateException>(() => PartMerge.Merge([a]));
        Assert.Contains("1 of 3 images are in no part file", missing.Message);
        Assert.Equal(1, PartMerge.Merge([a], allowMissing: true).MissingCount);
    }
}
