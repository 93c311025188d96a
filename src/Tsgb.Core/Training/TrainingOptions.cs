namespace TsgbKit.Training;

/// <summary>How a demo model is trained on synthetic scenes (multi-label, sigmoid + BCE, Adam, cosine decay).</summary>
public sealed record TrainingOptions
{
    public int Seed { get; init; } = 1;
    public int Steps { get; init; } = 1500;
    public int BatchSize { get; init; } = 32;
    public double LearningRate { get; init; } = 1e-3;
    public double WeightDecay { get; init; } = 1e-4;
    /// <summary>Held-out scenes for the final mean average precision (seed 99 never overlaps a training seed's scenes).</summary>
    public int HeldOut { get; init; } = 500;
    public int HeldOutSeed { get; init; } = 99;
    /// <summary>Stop early when this much wall time has passed (the budget is 30 minutes on 2 cores).</summary>
    public TimeSpan? TimeLimit { get; init; }
}

/// <summary>One progress report: step, running loss, elapsed and estimated remaining time.</summary>
public sealed record TrainingProgress(int Step, int Steps, double Loss, TimeSpan Elapsed, TimeSpan Remaining)
{
    public override string ToString() =>
        $"step {Step}/{Steps}  loss {Loss:0.0000}  elapsed {Elapsed:mm\\:ss}  ETA {Remaining:mm\\:ss}";
}

/// <summary>What training produced: the held-out mAP and how long it took.</summary>
public sealed record TrainingReport(string Model, int Steps, double FinalLoss, double HeldOutMap, double[] PerClassAp, TimeSpan Elapsed);
