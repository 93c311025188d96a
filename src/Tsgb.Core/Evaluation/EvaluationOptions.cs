namespace TsgbKit.Evaluation;

/// <summary>How much of the evaluation to run on held-out scenes.</summary>
public sealed record EvaluationOptions
{
    /// <summary>Held-out scenes for the pointing games and class sensitivity.</summary>
    public int Images { get; init; } = 100;

    /// <summary>Scene seed (7 by default: never a training seed's scenes, nor the mAP set's 99).</summary>
    public int Seed { get; init; } = 7;

    /// <summary>
    /// Scenes for deletion and insertion (each curve takes one forward pass per image side of pixels, so these are
    /// the expensive metrics); one pair per scene: its most probable present class. Default: all the images.
    /// </summary>
    public int? CausalImages { get; init; }

    /// <summary>Scenes for the model-randomization check (0 = skip it).</summary>
    public int RandomizationImages { get; init; }

    /// <summary>Perturbed images per forward pass in deletion and insertion.</summary>
    public int BatchSize { get; init; } = 56;
}

/// <summary>One row of the evaluation table.</summary>
public sealed record EvaluationRow(string Method, double Pointing, double PointingDifficult, double Energy,
    double DeletionAuc, double InsertionAuc, double ClassSensitivity, double RandomizationRho, double MillisecondsPerMap);
