using TsgbKit.Datasets;
using TsgbKit.Evaluation.Datasets;
using TsgbKit.Labels;
using TsgbKit.Models;

namespace TsgbKit.Tests.Datasets;

public class DatasetEvaluationTests
{
    public DatasetEvaluationTests() => TsgbKit.Native.TorchNative.EnsureLoaded();

    static Classifier Model(LabelSet labels)
    {
        TorchSharp.torch.manual_seed(3);
        return Zoo.Create("resnet18", labels);
    }

    [Fact]
    public void VocCentreBaselineHitsAndMissesAsWorkedByHand()
    {
        var root = TinyDatasets.Voc();
        var voc = new VocDataset(root);
        using var model = Model(BenchmarkLabels.Voc);
        var part = Path.Combine(TinyDatasets.NewFolder("eval"), "voc.jsonl");
        var result = DatasetEvaluation.Run(model, voc, ["gradcam", "gradient"], new DatasetEvaluationOptions
        {
            PartFile = part, Input = new BenchmarkInput(32, InputNormalization.Caffe), BatchImages = 3,
            Difficult = DifficultSubset.Load(TinyDatasets.VocDifficult(Path.GetDirectoryName(part)!), 20),
        });
        var centre = result.Rows[0];
        Assert.Equal(DatasetEvaluation.CenterBaseline, centre.Method);
        // dog (000001) hit, person (000001) miss, cat (000002) skipped: difficult only, bird (000002) miss, car (000003) hit
        Assert.Equal(4, centre.Pairs);
        Assert.Equal(2.0 / 20, centre.Pointing, 12);
        Assert.Equal([11, 14, 2, 6], PartFile.Read(part).Blocks.OrderBy(b => b.Index).SelectMany(b => b.Records.Where(r => r.Method == centre.Method).Select(r => r.Class)));
        // difficult column: dog (listed with flag 1) and car (image not listed: kept): both hits
        Assert.Equal(2, centre.DifficultPairs);
        Assert.Equal(2.0 / 20, centre.PointingDifficult, 12);
        Assert.All(result.Rows, r => Assert.Equal(4, r.Pairs));
        Assert.All(result.Rows, r => Assert.Equal(3, r.Images));
        Assert.All(result.Rows.Skip(1), r => Assert.InRange(r.EnergyInBox, 0, 1));
        Assert.Equal(4, result.Timing["gradcam"].Maps);
    }

    [Fact]
    public void OneImagePerPassGivesTheSameMapsAsSeveral()
    {
        var voc = new VocDataset(TinyDatasets.Voc());
        using var model = Model(BenchmarkLabels.Voc);
        var folder = TinyDatasets.NewFolder("batch");
        var options = new DatasetEvaluationOptions { PartFile = Path.Combine(folder, "one.jsonl"), Input = new BenchmarkInput(32, InputNormalization.Caffe), BatchImages = 1 };
        DatasetEvaluation.Run(model, voc, ["gradcam"], options);
        DatasetEvaluation.Run(model, voc, ["gradcam"], options with { PartFile = Path.Combine(folder, "three.jsonl"), BatchImages = 3 });
        var one = PartFile.Read(options.PartFile).Blocks.SelectMany(b => b.Records).ToList();
        var three = PartFile.Read(Path.Combine(folder, "three.jsonl")).Blocks.SelectMany(b => b.Records).ToList();
        Assert.Equal(one.Select(r => (r.Image, r.Method, r.Class)), three.Select(r => (r.Image, r.Method, r.Class)));
        foreach (var (a, b) in one.Zip(three))
            if (!double.IsNaN(a.Energy)) Assert.Equal(a.Energy, b.Energy, 4);
    }

    [Fact]
    public void CocoCentreBaselineHitsTheDogAndMissesThePersonAndTheCat()
    {
        using var coco = new CocoDataset(TinyDatasets.Coco());
        using var model = Model(BenchmarkLabels.Coco);
        var part = Path.Combine(TinyDatasets.NewFolder("eval"), "coco.jsonl");
        var result = DatasetEvaluation.Run(model, coco, ["gradcam"], new DatasetEvaluationOptions { PartFile = part, Input = new BenchmarkInput(32, InputNormalization.Caffe) });
        var records = PartFile.Read(part).Blocks.SelectMany(b => b.Records).Where(r => r.Method == DatasetEvaluation.CenterBaseline).ToList();
        Assert.Equal([(15, false), (0, false), (16, true)], records.Select(r => (r.Class, r.Hit)));
        Assert.Equal(1.0 / 80, result.Rows[0].Pointing, 12);
        Assert.True(double.IsNaN(result.Rows[0].PointingDifficult)); // no difficult subset given
    }

    [Fact]
    public void ScenesThroughTheInterfaceKeepTheirDifficultRule()
    {
        var scenes = new SceneBenchmark(4, seed: 7);
        var images = scenes.Images().ToList();
        Assert.Equal(4, images.Count);
        Assert.All(images.SelectMany(i => i.Regions), r => Assert.NotNull(r.InDifficultSubset));
        Assert.Equal([1, 3], scenes.Images(i => i % 2 == 1).Select(i => i.Index));
    }

    [Fact]
    public void AModelOfAnotherLabelSetIsRefused()
    {
        using var model = Model(BenchmarkLabels.Coco);
        var e = Assert.Throws<TsgbKit.Errors.TsgbInputException>(() => DatasetEvaluation.Run(model, new VocDataset(TinyDatasets.Voc()), ["gradcam"],
            new DatasetEvaluationOptions { PartFile = Path.Combine(TinyDatasets.NewFolder("x"), "p.jsonl") }));
        Assert.Contains("80 classes", e.Message);
    }
}
