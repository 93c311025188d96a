using TsgbKit.Datasets;
using TsgbKit.Errors;
using TsgbKit.Evaluation.Datasets;

namespace TsgbKit.Tests.Datasets;

public class PartFileTests
{
    static PartHeader Header(string shard = "0/1", string model = "vgg16", int causalImages = 0, bool classSensitivity = false) =>
        new("voc07:test", 3, TsgbKit.Labels.BenchmarkLabels.VocNames, model, "vgg16_voc.safetensors", ["centre baseline", "gradcam"],
            "shorter side 224 (bilinear), caffe normalization", 15, null, shard, causalImages, classSensitivity);

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

    [Fact]
    public void DeletionInsertionAndSensitivityAreMeansOverTheRecordsThatHaveThem()
    {
        var folder = TinyDatasets.NewFolder("means");
        var header = Header(causalImages: 2, classSensitivity: true);
        // gradcam: deletion 0.1 and 0.3 on image 0 (two classes), 0.8 on image 1, none on image 2 (index ≥ 2);
        // sensitivity 0.5, null (a constant map: left out), −0.2
        PartRecord R(int index, int cls, double deletion, double insertion) =>
            new(index, $"00000{index + 1}", "gradcam", cls, true, null, 0.5, deletion, insertion);
        PartSensitivity S(int index, double score) => new(index, $"00000{index + 1}", "gradcam", 14, 3, score);
        var a = Path.Combine(folder, "a.jsonl");
        using (var w = PartWriter.Open(a, header with { Shard = "0/2" }, resume: false))
        {
            w.WriteImage(0, "000001", [R(0, 11, 0.1, 0.6), R(0, 14, 0.3, 0.7)], [S(0, 0.5)]);
            w.WriteImage(2, "000003", [R(2, 6, double.NaN, double.NaN)], [S(2, -0.2)]);
        }
        var b = Path.Combine(folder, "b.jsonl");
        using (var w = PartWriter.Open(b, header with { Shard = "1/2" }, resume: false))
            w.WriteImage(1, "000002", [R(1, 2, 0.8, 0.2)], [S(1, double.NaN)]);

        var lines = File.ReadAllLines(a);
        Assert.EndsWith(",\"energy\":0.5,\"deletion\":0.1,\"insertion\":0.6}", lines[1]);
        Assert.Equal("{\"index\":0,\"image\":\"000001\",\"method\":\"gradcam\",\"most\":14,\"least\":3,\"sensitivity\":0.5}", lines[3]);
        Assert.Equal("{\"done\":\"000001\",\"index\":0,\"records\":3}", lines[4]);
        Assert.DoesNotContain("deletion", lines[5]); // image 2: not asked, no field
        Assert.Contains("\"sensitivity\":null", File.ReadAllLines(b)[2]);

        var merged = PartMerge.Merge([b, a]);
        var gradcam = merged.Rows.Single(r => r.Method == "gradcam");
        Assert.Equal((0.1 + 0.3 + 0.8) / 3, gradcam.DeletionAuc, 12);
        Assert.Equal((0.6 + 0.7 + 0.2) / 3, gradcam.InsertionAuc, 12);
        Assert.Equal((0.5 - 0.2) / 2, gradcam.ClassSensitivity, 12);
        Assert.True(double.IsNaN(merged.Rows[0].DeletionAuc)); // the baseline has no records in these parts
        // four classes hit once each: 4 / 20; no difficult column; energy 0.5; then deletion, insertion, sensitivity
        Assert.Contains("\"gradcam\",0.200000,,0.500000,0.400000,0.500000,0.150000,4,0,3\n", PointingTable.ToCsv(merged.Rows));
    }

    [Fact]
    public void APartWrittenBeforeTheCausalFieldsReadsAsNotAskedAndMergesWithANewOne()
    {
        var folder = TinyDatasets.NewFolder("old");
        var old = Path.Combine(folder, "old.jsonl");
        // format 1 as tsgb wrote it before deletion, insertion and class sensitivity existed
        File.WriteAllLines(old,
        [
            "{\"tsgb_part\":1,\"dataset\":\"voc07:test\",\"images\":3,\"classes\":[" + string.Join(",", TsgbKit.Labels.BenchmarkLabels.VocNames.Select(n => $"\"{n}\""))
                + "],\"model\":\"vgg16\",\"weights\":\"vgg16_voc.safetensors\",\"methods\":[\"centre baseline\",\"gradcam\"],\"input\":\"shorter side 224 (bilinear), caffe normalization\",\"tolerance\":15,\"difficult\":null,\"shard\":\"0/2\"}",
            "{\"index\":0,\"image\":\"000001\",\"method\":\"centre baseline\",\"class\":11,\"hit\":true,\"difficult\":null,\"energy\":null}",
            "{\"index\":0,\"image\":\"000001\",\"method\":\"gradcam\",\"class\":11,\"hit\":false,\"difficult\":null,\"energy\":0.25}",
            "{\"done\":\"000001\",\"index\":0,\"records\":2}",
        ]);
        var content = PartFile.Read(old);
        Assert.Equal(0, content.Header.CausalImages);
        Assert.False(content.Header.ClassSensitivity);
        Assert.Null(content.Header.Difference(Header(shard: "0/2")));
        Assert.True(double.IsNaN(content.Blocks[0].Records[1].Deletion));
        Assert.True(double.IsNaN(content.Blocks[0].Records[1].Insertion));
        Assert.Empty(content.Blocks[0].Sensitivities);

        var fresh = Path.Combine(folder, "new.jsonl");
        using (var w = PartWriter.Open(fresh, Header(shard: "1/2"), resume: false))
        {
            w.WriteImage(1, "000002", Records(1, "000002", true));
            w.WriteImage(2, "000003", Records(2, "000003", true));
        }
        var gradcam = PartMerge.Merge([old, fresh]).Rows.Single(r => r.Method == "gradcam");
        Assert.Equal((0.25 + 1.25 + 2.25) / 3, gradcam.EnergyInBox, 12);
        Assert.True(double.IsNaN(gradcam.DeletionAuc) && double.IsNaN(gradcam.ClassSensitivity));
        // and it resumes under a run that asks for nothing more
        using (var w = PartWriter.Open(old, Header(shard: "0/2"), resume: true)) Assert.Equal([0], w.Done);
    }

    [Theory]
    [InlineData(2, false, "causal_images is '0' there but '2' here")]
    [InlineData(0, true, "class_sensitivity is 'false' there but 'true' here")]
    public void PartsThatAskedForDifferentMetricsAreNotMergedNorResumed(int causalImages, bool classSensitivity, string expected)
    {
        var folder = TinyDatasets.NewFolder("mismatch");
        var plain = Path.Combine(folder, "plain.jsonl");
        using (var w = PartWriter.Open(plain, Header(shard: "0/2"), resume: false)) w.WriteImage(0, "000001", Records(0, "000001", true));
        var asking = Path.Combine(folder, "asking.jsonl");
        using (var w = PartWriter.Open(asking, Header("1/2", causalImages: causalImages, classSensitivity: classSensitivity), resume: false))
            w.WriteImage(1, "000002", Records(1, "000002", true));
        var merge = Assert.Throws<DatasetException>(() => PartMerge.Merge([plain, asking]));
        Assert.Contains(expected, merge.Message);
        var resume = Assert.Throws<DatasetException>(() => PartWriter.Open(plain, Header("0/2", causalImages: causalImages, classSensitivity: classSensitivity), resume: true));
        Assert.Contains(expected, resume.Message);
    }
}
