using TsgbKit.Datasets;
using TsgbKit.Evaluation;
using TsgbKit.Evaluation.Datasets;
using TsgbKit.Labels;
using TsgbKit.Methods;
using TsgbKit.Metrics;
using TsgbKit.Models;
using static TorchSharp.torch;

namespace TsgbKit.Tests.Datasets;

/// <summary>
/// Deletion, insertion and class sensitivity of a dataset run, against the same metrics computed here directly
/// (<see cref="CausalMetrics"/>, <see cref="ClassSensitivity"/>) on the same input and map.
/// </summary>
public class AskedMetricsTests
{
    public AskedMetricsTests() => TsgbKit.Native.TorchNative.EnsureLoaded();

    static readonly BenchmarkInput Input = new(32, InputNormalization.Caffe);

    static Classifier Model()
    {
        manual_seed(3);
        return Zoo.Create("resnet18", BenchmarkLabels.Voc);
    }

    static Tensor Sigmoid(Classifier model, Tensor x) => model.Logits(x).sigmoid();

    [Fact]
    public void PartFileValuesEqualTheMetricsComputedDirectly()
    {
        var voc = new VocDataset(TinyDatasets.Voc());
        using var model = Model();
        var part = Path.Combine(TinyDatasets.NewFolder("asked"), "voc.jsonl");
        // one row per pass and one image per batch: the direct computation below makes the very same passes
        var result = DatasetEvaluation.Run(model, voc, ["gradient"], new DatasetEvaluationOptions
        {
            PartFile = part, Input = Input, BatchImages = 1, MaxRows = 1, CausalImages = 2, ClassSensitivity = true, WarmUp = false,
        });
        var content = PartFile.Read(part);
        Assert.Equal(2, content.Header.CausalImages);
        Assert.True(content.Header.ClassSensitivity);
        var images = voc.Images().ToDictionary(i => i.Index);
        var gradient = MethodCatalog.Create("gradient");
        var centre = new CentreBaseline();
        int checkedPairs = 0;
        foreach (var block in content.Blocks)
        {
            using var scope = NewDisposeScope();
            var input = Input.ToTensor(images[block.Index].Load());
            foreach (var r in block.Records)
            {
                if (block.Index >= 2)
                {
                    Assert.True(double.IsNaN(r.Deletion) && double.IsNaN(r.Insertion), $"image {block.Index} is not below --causal-images 2");
                    continue;
                }
                SaliencyMethod method = r.Method == centre.Name ? centre : gradient;
                Tensor map;
                using (var attribution = method.Attribute(model, input, [r.Class])) map = attribution.Maps[0].detach().clone();
                Assert.Equal(CausalMetrics.Deletion(x => Sigmoid(model, x), input, map, r.Class, 56).Auc, r.Deletion, 12);
                Assert.Equal(CausalMetrics.Insertion(x => Sigmoid(model, x), input, map, r.Class, 56).Auc, r.Insertion, 12);
                checkedPairs++;
            }
            // class sensitivity: one line per method, most and least probable by the sigmoid of the logits
            var probabilities = Sigmoid(model, input)[0].data<float>().ToArray();
            int most = Array.IndexOf(probabilities, probabilities.Max()), least = Array.IndexOf(probabilities, probabilities.Min());
            Assert.Equal([centre.Name, "gradient"], block.Sensitivities.Select(s => s.Method));
            foreach (var s in block.Sensitivities)
            {
                Assert.Equal((most, least), (s.MostProbable, s.LeastProbable));
                SaliencyMethod method = s.Method == centre.Name ? centre : gradient;
                using var both = cat([input, input], 0);
                using var attribution = method.Attribute(model, both, [most, least]);
                Assert.Equal(ClassSensitivity.Score(attribution.Maps[0], attribution.Maps[1]), s.Score, 12);
            }
        }
        // images 000001 (dog, person) and 000002 (bird; the cat is difficult only), for the baseline and the gradient
        Assert.Equal(2 * 3, checkedPairs);
        // the baseline's map is the same for both classes: sensitivity exactly 1
        Assert.Equal(1.0, result.Rows[0].ClassSensitivity, 12);
        Assert.All(result.Rows, r => Assert.InRange(r.DeletionAuc, 0, 1));
        Assert.All(result.Rows, r => Assert.InRange(r.InsertionAuc, 0, 1));
        var expectedDeletion = content.Blocks.OrderBy(b => b.Index).SelectMany(b => b.Records).Where(r => r.Method == "gradient" && !double.IsNaN(r.Deletion)).Select(r => r.Deletion).Average();
        Assert.Equal(expectedDeletion, result.Rows[1].DeletionAuc, 12);
    }

    [Fact]
    public void NotAskedMeansNoFieldsNoLinesAndEmptyColumns()
    {
        var voc = new VocDataset(TinyDatasets.Voc());
        using var model = Model();
        var part = Path.Combine(TinyDatasets.NewFolder("asked"), "voc.jsonl");
        var result = DatasetEvaluation.Run(model, voc, ["gradcam"], new DatasetEvaluationOptions { PartFile = part, Input = Input });
        var lines = File.ReadAllLines(part);
        Assert.Contains("\"causal_images\":0,\"class_sensitivity\":false", lines[0]);
        Assert.DoesNotContain(lines.Skip(1), l => l.Contains("deletion") || l.Contains("insertion") || l.Contains("sensitivity"));
        Assert.All(result.Rows, r => Assert.True(double.IsNaN(r.DeletionAuc) && double.IsNaN(r.InsertionAuc) && double.IsNaN(r.ClassSensitivity)));
        var csv = PointingTable.ToCsv(result.Rows).Split('\n');
        Assert.Equal("method,pointing,pointing_difficult,energy_in_box,deletion_auc,insertion_auc,class_sensitivity,pairs,difficult_pairs,images", csv[0]);
        Assert.StartsWith("\"gradcam\",", csv[2]);
        Assert.Contains(",,,,4,", csv[2]); // after the energy: three empty metric columns, then 4 pairs
        Assert.Contains("| — | — | — |", PointingTable.ToMarkdown(result.Rows));
    }

    [Fact]
    public void CausalImagesBeyondTheRunAreRecordedAsTheImagesComputedAndNegativeIsRefused()
    {
        var voc = new VocDataset(TinyDatasets.Voc());
        using var model = Model();
        var options = new DatasetEvaluationOptions { PartFile = "unused.jsonl", Input = Input, CausalImages = 100 };
        Assert.Equal(3, DatasetEvaluation.Header(model, voc, ["gradcam"], options).CausalImages);
        Assert.Throws<TsgbKit.Errors.TsgbInputException>(() => DatasetEvaluation.Header(model, voc, ["gradcam"], options with { CausalImages = -1 }));
    }
}
