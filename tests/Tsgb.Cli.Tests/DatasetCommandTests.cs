using System.Diagnostics;

namespace TsgbKit.Cli.Tests;

/// <summary>
/// `tsgb evaluate --dataset` and `tsgb merge` as processes: three shards run at the same time, one is killed mid-way
/// and resumed, and the merged table equals the table of one unsharded run.
/// </summary>
public class DatasetCommandTests
{
    static readonly string[] Common = ["evaluate", "--dataset", "scenes", "--images", "15", "--model", "scene-resnet", "--methods", "gradcam,tsgb", "--batch-images", "1"];

    static Process Start(params string[] arguments)
    {
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "tsgb.dll"));
        foreach (var a in arguments) start.ArgumentList.Add(a);
        var process = Process.Start(start)!;
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, _) => { };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return process;
    }

    static void Finish(Process process, string what)
    {
        if (!process.WaitForExit(TimeSpan.FromMinutes(4)))
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"{what} did not finish in 4 minutes");
        }
        Assert.True(process.ExitCode == 0, $"{what} exited with {process.ExitCode}");
    }

    static int DoneLines(string part) =>
        File.Exists(part) ? File.ReadLines(part).Count(l => l.StartsWith("{\"done\"", StringComparison.Ordinal)) : 0;

    [Fact]
    public void ThreeConcurrentShardsOneKilledAndResumedMergeToTheUnshardedTable()
    {
        var folder = Weights.Temp("shards-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(folder);
        string Part(int i) => Path.Combine(folder, $"part-{i}.jsonl");

        var shards = Enumerable.Range(0, 3).Select(i => Start([.. Common, "--shard", $"{i}/3", "--part", Part(i)])).ToArray();
        // kill shard 1 as soon as its first image is on disk
        var watch = Stopwatch.StartNew();
        while (DoneLines(Part(1)) == 0 && !shards[1].HasExited && watch.Elapsed < TimeSpan.FromMinutes(3)) Thread.Sleep(20);
        shards[1].Kill(entireProcessTree: true);
        shards[1].WaitForExit();
        Finish(shards[0], "shard 0/3");
        Finish(shards[2], "shard 2/3");
        int before = DoneLines(Part(1));
        Assert.InRange(before, 1, 4); // killed mid-way: shard 1 has 5 of the 15 scenes

        // the merge refuses the incomplete set, naming what is missing
        var incomplete = TsgbProcess.Run("merge", Part(0), Part(1), Part(2));
        Assert.Equal(2, incomplete.ExitCode);
        Assert.Contains("images are in no part file", incomplete.Stderr);

        // resuming without --resume is refused; with it, only the missing images are computed
        var refused = TsgbProcess.Run([.. Common, "--shard", "1/3", "--part", Part(1)]);
        Assert.Equal(2, refused.ExitCode);
        Assert.Contains("--resume", refused.Stderr);
        var resumed = TsgbProcess.Run([.. Common, "--shard", "1/3", "--part", Part(1), "--resume"]);
        Assert.True(resumed.ExitCode == 0, resumed.Stderr);
        Assert.Contains($"{5 - before} images evaluated now, {before} already in", resumed.Stdout);
        Assert.Equal(5, DoneLines(Part(1)));

        var merged = TsgbProcess.Run("merge", Part(0), Part(1), Part(2), "--out", Path.Combine(folder, "merged.csv"));
        Assert.True(merged.ExitCode == 0, merged.Stderr);

        var single = TsgbProcess.Run([.. Common, "--part", Path.Combine(folder, "single.jsonl"), "--out", Path.Combine(folder, "single.csv")]);
        Assert.True(single.ExitCode == 0, single.Stderr);
        var table = File.ReadAllText(Path.Combine(folder, "single.csv"));
        Assert.Equal(table, File.ReadAllText(Path.Combine(folder, "merged.csv")));
        Assert.Contains("\"tsgb\",", table);
        Assert.Equal(4, table.Trim().Split('\n').Length); // the header, centre baseline, gradcam, tsgb
    }

    [Fact]
    public void MergingTheSameShardTwiceIsRefused()
    {
        var folder = Weights.Temp("dup-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(folder);
        string[] run = ["evaluate", "--dataset", "scenes:2", "--model", "scene-vgg", "--methods", "gradcam"];
        Assert.Equal(0, TsgbProcess.Run([.. run, "--part", Path.Combine(folder, "a.jsonl")]).ExitCode);
        Assert.Equal(0, TsgbProcess.Run([.. run, "--part", Path.Combine(folder, "b.jsonl")]).ExitCode);
        var dup = TsgbProcess.Run("merge", Path.Combine(folder, "a.jsonl"), Path.Combine(folder, "b.jsonl"));
        Assert.Equal(2, dup.ExitCode);
        Assert.Contains("duplicate", dup.Stderr);
    }

    [Fact]
    public void BadDatasetIsOneLineWithExitCode2()
    {
        var missing = TsgbProcess.Run("evaluate", "--dataset", "voc07:/no/such/voc", "--model", "scene-vgg");
        Assert.Equal(2, missing.ExitCode);
        Assert.StartsWith("error: /no/such/voc: no such folder", missing.Stderr.Trim());
        Assert.Single(missing.Stderr.Trim().Split('\n'));
        var shard = TsgbProcess.Run("evaluate", "--dataset", "scenes", "--shard", "3/3", "--model", "scene-vgg");
        Assert.Equal(2, shard.ExitCode);
        Assert.Contains("--shard '3/3'", shard.Stderr);
    }

    [Theory]
    [InlineData("--shard", "0/2", "--shard needs --dataset")]
    [InlineData("--part", "x.jsonl", "--part needs --dataset")]
    [InlineData("--class-sensitivity", "true", "--class-sensitivity needs --dataset")]
    public void DatasetOptionWithoutDatasetIsRefused(string option, string value, string expected)
    {
        var run = TsgbProcess.Run("evaluate", "--model", "scene-vgg", "--methods", "gradcam", "--images", "2", option, value);
        Assert.Equal(2, run.ExitCode);
        Assert.StartsWith($"error: {expected}", run.Stderr.Trim());
    }

    [Fact]
    public void RandomizationWithDatasetIsRefused()
    {
        var run = TsgbProcess.Run("evaluate", "--dataset", "scenes:2", "--model", "scene-vgg", "--methods", "gradcam", "--randomization", "2");
        Assert.Equal(2, run.ExitCode);
        Assert.StartsWith("error: --randomization is computed on the synthetic scenes only", run.Stderr.Trim());
        Assert.Single(run.Stderr.Trim().Split('\n'));
    }

    [Fact]
    public void NegativeCausalImagesWithDatasetIsOneLine()
    {
        var run = TsgbProcess.Run("evaluate", "--dataset", "scenes:2", "--model", "scene-vgg", "--methods", "gradcam", "--causal-images", "-1");
        Assert.Equal(2, run.ExitCode);
        Assert.Equal("error: --causal-images must be 0 or more, not -1", run.Stderr.Trim());
    }

    /// <summary>
    /// Deletion/insertion (on the images of index &lt; 3) and class sensitivity: two shards merged give the unsharded
    /// table byte for byte, with the new columns filled. Scenes at 56 px keep the causal curves short.
    /// </summary>
    [Fact]
    public void CausalAndSensitivityShardsMergeToTheUnshardedTable()
    {
        var folder = Weights.Temp("causal-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(folder);
        // the gradient, not Grad-CAM: at 56 px Grad-CAM's layer is too coarse and its maps can be constant (sensitivity NaN)
        string[] run = ["evaluate", "--dataset", "scenes:5", "--model", "scene-resnet", "--methods", "gradient", "--batch-images", "1",
            "--input-size", "56", "--causal-images", "3", "--class-sensitivity"];
        var shards = Enumerable.Range(0, 2).Select(i => Start([.. run, "--shard", $"{i}/2", "--part", Path.Combine(folder, $"part-{i}.jsonl")])).ToArray();
        Finish(shards[0], "shard 0/2");
        Finish(shards[1], "shard 1/2");
        var merged = TsgbProcess.Run("merge", Path.Combine(folder, "part-0.jsonl"), Path.Combine(folder, "part-1.jsonl"), "--out", Path.Combine(folder, "merged.csv"));
        Assert.True(merged.ExitCode == 0, merged.Stderr);
        Assert.Contains("| deletion AUC | insertion AUC | class sensitivity |", merged.Stdout);

        var single = TsgbProcess.Run([.. run, "--part", Path.Combine(folder, "single.jsonl"), "--out", Path.Combine(folder, "single.csv")]);
        Assert.True(single.ExitCode == 0, single.Stderr);
        Assert.Contains("also deletion/insertion on images 0…2 and class sensitivity", single.Stdout);
        var table = File.ReadAllText(Path.Combine(folder, "single.csv"));
        Assert.Equal(table, File.ReadAllText(Path.Combine(folder, "merged.csv")));
        var lines = table.Trim().Split('\n');
        Assert.Equal("method,pointing,pointing_difficult,energy_in_box,deletion_auc,insertion_auc,class_sensitivity,pairs,difficult_pairs,images", lines[0]);
        Assert.Equal(3, lines.Length); // the header, centre baseline, gradient
        foreach (var line in lines.Skip(1))
        {
            var cells = line.Split(',');
            Assert.All(cells[4..7], c => Assert.NotEqual("", c)); // deletion, insertion, sensitivity filled
        }
        Assert.Equal("1.000000", lines[1].Split(',')[6]); // the baseline's map ignores the class
        // shard 0 holds images 0, 2, 4: deletion only on 0 and 2; shard 1 holds 1 and 3: only on 1
        var part1 = File.ReadAllLines(Path.Combine(folder, "part-1.jsonl"));
        Assert.Contains(part1, l => l.StartsWith("{\"index\":1,", StringComparison.Ordinal) && l.Contains("\"deletion\":"));
        Assert.DoesNotContain(part1, l => l.StartsWith("{\"index\":3,", StringComparison.Ordinal) && l.Contains("\"deletion\":"));
        Assert.Contains(part1, l => l.StartsWith("{\"index\":3,", StringComparison.Ordinal) && l.Contains("\"sensitivity\":"));

        // a part that asked for other metrics is not merged with these
        var plain = TsgbProcess.Run("evaluate", "--dataset", "scenes:5", "--model", "scene-resnet", "--methods", "gradient", "--batch-images", "1",
            "--input-size", "56", "--limit", "5", "--shard", "1/2", "--part", Path.Combine(folder, "plain-1.jsonl"));
        Assert.True(plain.ExitCode == 0, plain.Stderr);
        var mixed = TsgbProcess.Run("merge", Path.Combine(folder, "part-0.jsonl"), Path.Combine(folder, "plain-1.jsonl"));
        Assert.Equal(2, mixed.ExitCode);
        Assert.Contains("causal_images is '3' there but '0' here", mixed.Stderr);
    }
}
