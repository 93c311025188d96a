namespace TsgbKit.Cli.Tests;

/// <summary>compare, stats and evaluate take explain's method settings; a setting no chosen method reads is refused.</summary>
public class MethodOptionCommandTests
{
    private static string[] Model => ["--model", "scene-resnet", "--weights", Weights.For("scene-resnet")];

    [Fact]
    public void CompareTakesTheSettingsOfItsMethods()
    {
        var run = TsgbProcess.Run(["compare", .. Model, "--scene", "4", "--methods", "gradcam,tsgb,smoothgrad",
            "--beta", "0.8", "--layer", "layer3", "--from", "layer2", "--samples", "2", "--png", Weights.Temp("compare-settings.png")]);
        Assert.True(run.ExitCode == 0, run.Stderr);
    }

    [Fact]
    public void StatsTakesTheSettingsOfItsMethod()
    {
        var run = TsgbProcess.Run(["stats", .. Model, "--scene", "4", "--method", "tsgb", "--beta", "0.8", "--from", "layer2"]);
        Assert.True(run.ExitCode == 0, run.Stderr);
        Assert.Contains("tsgb-fc(β=0.8)", run.Stdout); // the rule column of the FC layer
    }

    [Fact]
    public void EvaluateTakesTheSettingsOfItsMethods()
    {
        var run = TsgbProcess.Run(["evaluate", .. Model, "--methods", "gradcam,tsgb", "--beta", "0.8", "--layer", "layer3",
            "--images", "2", "--causal-images", "1"]);
        Assert.True(run.ExitCode == 0, run.Stderr);
        Assert.Contains("| centre baseline |", run.Stdout);
    }

    [Fact]
    public void StatsWithoutAnInputRefusesAMethodSetting()
    {
        var run = TsgbProcess.Run(["stats", "--beta", "0.8"]);
        Assert.Equal(2, run.ExitCode);
        Assert.Contains("--beta applies to a new explanation", run.Stderr);
        Assert.Single(run.Stderr.Trim().Split('\n'));
    }

    [Theory]
    [InlineData("explain", "--method", "gradcam", "--beta")]
    [InlineData("compare", "--methods", "gradient,gradcam", "--beta")]
    [InlineData("stats", "--method", "gradcam", "--from")]
    [InlineData("evaluate", "--methods", "gradient", "--layer")]
    public void ASettingNoChosenMethodReadsIsOneLineAndExitCodeTwo(string command, string methodOption, string methods, string setting)
    {
        var value = setting == "--beta" ? "0.8" : "layer3";
        string[] extra = command switch
        {
            "explain" => ["--scene", "1", "--out", Weights.Temp("unused.npy")],
            "compare" => ["--scene", "1", "--png", Weights.Temp("unused.png")],
            "stats" => ["--scene", "1"],
            _ => ["--images", "1"],
        };
        var run = TsgbProcess.Run([command, .. Model, methodOption, methods, setting, value, .. extra]);
        Assert.Equal(2, run.ExitCode);
        Assert.Contains(setting, run.Stderr);
        Assert.Contains(methods.Split(',')[^1], run.Stderr); // names the method
        Assert.Single(run.Stderr.Trim().Split('\n'));
        Assert.DoesNotContain("   at ", run.Stderr);
    }
}
