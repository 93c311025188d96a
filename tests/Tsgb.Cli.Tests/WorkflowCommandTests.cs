using Microsoft.Data.Analysis;
using TsgbKit.Imaging;

namespace TsgbKit.Cli.Tests;

/// <summary>compare, ablate and evaluate write what they promise.</summary>
public class WorkflowCommandTests
{
    [Fact]
    public void CompareWritesOneGridWithATilePerMethod()
    {
        var png = Weights.Temp("compare.png");
        var run = TsgbProcess.Run("compare", "--model", "scene-resnet", "--weights", Weights.For("scene-resnet"),
            "--scene", "4", "--target", "circle", "--target", "hexagon", "--methods", "gradient,gradcam,tsgb", "--png", png);
        Assert.True(run.ExitCode == 0, run.Stderr);
        var grid = RgbImage.Load(png);
        Assert.True(grid.Width > 3 * 160 && grid.Height > 2 * 160, $"{grid.Width}×{grid.Height}");
    }

    [Fact]
    public void AblateWritesARowPerSettingAndTarget()
    {
        var csv = Weights.Temp("ablation.csv");
        var run = TsgbProcess.Run("ablate", "--model", "scene-resnet", "--weights", Weights.For("scene-resnet"),
            "--scene", "4", "--betas", "0.8,1", "--bn", "on,off", "--csv", csv);
        Assert.True(run.ExitCode == 0, run.Stderr);
        var table = DataFrame.LoadCsv(csv);
        Assert.Equal(2 * 2 * 2, table.Rows.Count); // 2 betas × BN on/off × 2 classes in scene 4
        Assert.Contains("β=0.8, no BN rule", table.Columns["setting"].Cast<object>().Select(v => v.ToString()));
    }

    [Fact]
    public void EvaluatePrintsAMarkdownTableWithTheBaselineAndEachMethod()
    {
        var csv = Weights.Temp("evaluation.csv");
        var run = TsgbProcess.Run("evaluate", "--model", "scene-resnet", "--weights", Weights.For("scene-resnet"),
            "--methods", "gradient,tsgb", "--images", "3", "--causal-images", "1", "--out", csv);
        Assert.True(run.ExitCode == 0, run.Stderr);
        Assert.Contains("| method | pointing |", run.Stdout);
        Assert.Contains("| centre baseline |", run.Stdout);
        Assert.Contains("| tsgb |", run.Stdout);
        Assert.Equal(3, DataFrame.LoadCsv(csv).Rows.Count);
    }
}
