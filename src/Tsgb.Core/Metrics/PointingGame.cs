using System.Text;
using TsgbKit.Synthetic;
using TorchSharp;
using static TorchSharp.torch;
using TsgbKit.Errors;

namespace TsgbKit.Metrics;

/// <summary>
/// Pointing-game accuracies: per class (hits ÷ trials, NaN for a class without trials) and their plain mean over the
/// classes that had trials; the same for the difficult subset.
/// </summary>
public sealed record PointingGameResult(
    IReadOnlyList<string> ClassNames,
    IReadOnlyList<int> Hits,
    IReadOnlyList<int> Trials,
    IReadOnlyList<double> ClassAccuracies,
    double MeanAccuracy,
    IReadOnlyList<int> DifficultHits,
    IReadOnlyList<int> DifficultTrials,
    IReadOnlyList<double> DifficultClassAccuracies,
    double DifficultMeanAccuracy)
{
    public override string ToString()
    {
        var sb = new StringBuilder();
        sb.Append($"pointing game {100 * MeanAccuracy:F1}% (difficult {100 * DifficultMeanAccuracy:F1}%) [");
        sb.Append(string.Join(" ", ClassNames.Select((n, c) => $"{n}:{100 * ClassAccuracies[c]:F1}%")));
        return sb.Append(']').ToString();
    }
}

/// <summary>
/// The pointing game (Zhang et al. 2016) as TorchRay runs it. Every class present in an image is a trial; the point is the
/// argmax of the class's saliency map at image resolution — first blurred with a Gaussian of σ = 0.02 × the larger image
/// side for gradient, deconvnet and guided-backprop maps (the caller sets <c>smooth</c> per method); a hit when a pixel of
/// the class's mask lies strictly closer than τ to the point, τ = 15 px at 224² scaled with the image
/// (τ = 15 · max(H, W) / 224). Accuracy per class = hits ÷ trials, then the plain mean over classes (classes without trials
/// are left out of the mean, where TorchRay would count them as 0). The difficult subset keeps the (image, class) pairs
/// whose class mask covers less than a quarter of the image while another class is present (EBP's definition, with exact
/// masks instead of boxes).
/// </summary>
public sealed class PointingGame
{
    /// <summary>TorchRay's tolerance at its 224-pixel reference resolution.</summary>
    public const double ReferenceTolerance = 15;

    /// <summary>The reference image side τ is given for.</summary>
    public const double ReferenceSide = 224;

    /// <summary>The blur σ as a fraction of the larger image side (TorchRay's <c>smooth=0.02</c>).</summary>
    public const double SmoothingFraction = 0.02;

    readonly int[] _hits, _trials, _difficultHits, _difficultTrials;
    readonly double? _tolerance;

    /// <param name="classNames">Class names, one per class index (default: <see cref="SceneClasses.Names"/>).</param>
    /// <param name="tolerance">A fixed τ in pixels; default: scaled per image with <see cref="ToleranceFor"/>.</param>
    public PointingGame(IReadOnlyList<string>? classNames = null, double? tolerance = null)
    {
        ClassNames = classNames ?? SceneClasses.Names;
        int c = ClassNames.Count;
        _hits = new int[c]; _trials = new int[c]; _difficultHits = new int[c]; _difficultTrials = new int[c];
        _tolerance = tolerance;
    }

    public IReadOnlyList<string> ClassNames { get; }

    /// <summary>τ for an image: 15 · max(width, height) / 224 pixels (7.5 px at 112²).</summary>
    public static double ToleranceFor(int width, int height) => ReferenceTolerance * Math.Max(width, height) / ReferenceSide;

    /// <summary>The smoothing σ for an image: 0.02 · max(width, height) pixels.</summary>
    public static double SmoothingSigma(int width, int height) => SmoothingFraction * Math.Max(width, height);

    /// <summary>
    /// The point of a map (H×W, leading size-1 dimensions allowed): its argmax, after the Gaussian blur when
    /// <paramref name="smooth"/> is set.
    /// </summary>
    public static (int X, int Y) Point(Tensor map, bool smooth = false)
    {
        if (!smooth) return SaliencyMath.Argmax(map);
        using var scope = torch.NewDisposeScope();
        long h = map.shape[^2], w = map.shape[^1];
        return SaliencyMath.Argmax(SaliencyMath.GaussianBlur(map, SmoothingSigma((int)w, (int)h)));
    }

    /// <summary>Whether some mask pixel lies strictly within <paramref name="tolerance"/> of the point (TorchRay's test).</summary>
    public static bool IsHit(Mask mask, (int X, int Y) point, double tolerance)
    {
        double t2 = tolerance * tolerance;
        int r = (int)Math.Ceiling(tolerance);
        int y0 = Math.Max(0, point.Y - r), y1 = Math.Min(mask.Height - 1, point.Y + r);
        int x0 = Math.Max(0, point.X - r), x1 = Math.Min(mask.Width - 1, point.X + r);
        for (int y = y0; y <= y1; y++)
            for (int x = x0; x <= x1; x++)
            {
                double dx = x - point.X, dy = y - point.Y;
                if (dx * dx + dy * dy < t2 && mask[x, y]) return true;
            }
        return false;
    }

    /// <summary>Difficult pair: the class covers less than a quarter of the image and another class is present.</summary>
    public static bool IsDifficult(Mask classMask, bool otherClassPresent) =>
        otherClassPresent && classMask.Area < 0.25 * classMask.Width * classMask.Height;

    /// <summary>Records one trial from a point; returns whether it hit.</summary>
    public bool AddPoint(int classIndex, Mask classMask, (int X, int Y) point, bool difficult)
    {
        double tolerance = _tolerance ?? ToleranceFor(classMask.Width, classMask.Height);
        bool hit = IsHit(classMask, point, tolerance);
        _trials[classIndex]++;
        if (hit) _hits[classIndex]++;
        if (difficult)
        {
            _difficultTrials[classIndex]++;
            if (hit) _difficultHits[classIndex]++;
        }
        return hit;
    }

    /// <summary>Records one trial from a saliency map (H×W at the mask's resolution); returns whether it hit.</summary>
    public bool Add(int classIndex, Mask classMask, Tensor map, bool difficult, bool smooth = false)
    {
        if (map.shape[^1] != classMask.Width || map.shape[^2] != classMask.Height)
            throw new TsgbInputException($"The map is {map.shape[^1]}×{map.shape[^2]}, the mask {classMask.Width}×{classMask.Height}; resize the map to image resolution first.");
        return AddPoint(classIndex, classMask, Point(map, smooth), difficult);
    }

    /// <summary>Records the trial of a scene's class (difficulty from the scene); returns whether it hit.</summary>
    public bool Add(Scene scene, int classIndex, Tensor map, bool smooth = false)
    {
        var mask = scene.ClassMask(classIndex);
        if (mask.Area == 0) throw new TsgbInputException($"Class {classIndex} is not in the scene.");
        return Add(classIndex, mask, map, IsDifficult(mask, scene.Classes.Count > 1), smooth);
    }

    /// <summary>The accuracies so far.</summary>
    public PointingGameResult Result()
    {
        static (double[] Acc, double Mean) Summarize(int[] hits, int[] trials)
        {
            var acc = hits.Select((h, c) => trials[c] == 0 ? double.NaN : (double)h / trials[c]).ToArray();
            var valid = acc.Where(a => !double.IsNaN(a)).ToArray();
            return (acc, valid.Length == 0 ? double.NaN : valid.Average());
        }
        var (all, mean) = Summarize(_hits, _trials);
        var (difficult, difficultMean) = Summarize(_difficultHits, _difficultTrials);
        return new PointingGameResult(ClassNames, _hits.ToArray(), _trials.ToArray(), all, mean,
            _difficultHits.ToArray(), _difficultTrials.ToArray(), difficult, difficultMean);
    }

    /// <summary>
    /// Runs the game over scenes: for each scene and each class in it, <paramref name="explainer"/>(normalized 1×3×H×W
    /// input, class) gives the map. Each scene's tensors are disposed after use.
    /// </summary>
    public static PointingGameResult Evaluate(IEnumerable<Scene> scenes, Func<Tensor, int, Tensor> explainer, bool smooth = false,
        double? tolerance = null)
    {
        var game = new PointingGame(SceneClasses.Names, tolerance);
        foreach (var scene in scenes)
        {
            using var scope = torch.NewDisposeScope();
            using var input = scene.ToTensor();
            foreach (var c in scene.Classes)
                game.Add(scene, c, explainer(input, c), smooth);
        }
        return game.Result();
    }

    /// <summary>σ of <see cref="CenterMap"/> as a fraction of the image's larger side.</summary>
    public const double CenterSigmaFraction = 0.25;

    /// <summary>
    /// A Gaussian centred on the image centre pixel (W/2, H/2), σ = ¼ of the larger side, peak 1: what a map with no
    /// information scores. Positive everywhere, so energy-based metrics score it like any map (a −distance² map
    /// was ≤ 0 and had no energy at all).
    /// </summary>
    public static Tensor CenterMap(int width, int height)
    {
        using var scope = torch.NewDisposeScope();
        double sigma = CenterSigmaFraction * Math.Max(width, height);
        var ys = torch.arange(height, ScalarType.Float32).sub(height / 2).pow(2).unsqueeze(1);
        var xs = torch.arange(width, ScalarType.Float32).sub(width / 2).pow(2).unsqueeze(0);
        return ys.add(xs).div(-2 * sigma * sigma).exp().MoveToOuterDisposeScope();
    }

    /// <summary>The centre baseline over scenes: every trial points at the image centre.</summary>
    public static PointingGameResult EvaluateCenterBaseline(IEnumerable<Scene> scenes, double? tolerance = null) =>
        Evaluate(scenes, (input, _) => CenterMap((int)input.shape[^1], (int)input.shape[^2]), smooth: false, tolerance);
}
