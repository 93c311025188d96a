using System.Globalization;
using TsgbKit.Demo;
using TsgbKit.Training;

namespace TsgbKit.Tests.Demo;

/// <summary>The weights shipped inside Tsgb.Core load and still score what `tsgb train` reported for them.</summary>
public class ShippedDemoModelTests
{
    [Theory]
    [InlineData("scene-vgg")]
    [InlineData("scene-resnet")]
    public void ShippedWeightsReachTheirReportedHeldOutMap(string name)
    {
        var record = DemoModels.TrainingRecord(name);
        var reported = double.Parse(record["held_out_map"], CultureInfo.InvariantCulture);
        using var model = DemoModels.Load(name);

        // the same 500 held-out scenes (seed 99) the trainer scored: generation and inference are deterministic
        var (map, perClass) = SceneTrainer.HeldOutMap(model.Module, 500, seed: 99);

        // the record keeps four decimals; the recomputation may differ only by that rounding
        Assert.True(Math.Abs(map - reported) <= 1e-4, $"{name}: recomputed held-out mAP {map:0.00000}, recorded {reported}");
        Assert.True(map >= 0.95, $"{name}: held-out mAP {map:0.0000} is below the 0.95 the demo models must reach");
        Assert.Equal(8, perClass.Length);
        Assert.Equal(name, record["model"]);
        Assert.Equal(string.Join(",", TsgbKit.Synthetic.SceneClasses.Names), record["labels"]);
    }

    [Fact]
    public void DemoModelsCarryTheSceneLabelsAndSigmoidOutputs()
    {
        using var model = DemoModels.SceneResNet();
        Assert.Equal("circle", model.Labels[0]);
        Assert.Equal(TsgbKit.Models.OutputKind.Sigmoid, model.Output);
        Assert.Equal("layer4", model.CamLayer);
    }
}
