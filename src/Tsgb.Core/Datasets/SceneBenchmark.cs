using TsgbKit.Imaging;
using TsgbKit.Metrics;
using TsgbKit.Synthetic;

namespace TsgbKit.Datasets;

/// <summary>
/// The synthetic scenes through the benchmark interface: scene i of <see cref="Scenes.Dataset"/>(count, seed), its
/// classes with their exact visible masks and boxes, difficult pairs decided by the scene rule of
/// <see cref="PointingGame.IsDifficult"/>, τ scaled with the image (7.5 px at 112²), inputs at native size with
/// ImageNet normalisation — what <c>tsgb evaluate</c> on scenes has always done.
/// </summary>
public sealed class SceneBenchmark(int count, int seed = 7, SceneOptions? options = null) : IAnnotatedDataset
{
    readonly SceneDataset _scenes = Scenes.Dataset(count, seed, options);

    public string Name => $"scenes:{count}@{seed}";
    public IReadOnlyList<string> Classes => SceneClasses.Names;
    public int Count => _scenes.Count;
    public double Tolerance => PointingGame.ToleranceFor(_scenes.Options.Width, _scenes.Options.Height);
    public BenchmarkInput DefaultInput { get; } = new(null, InputNormalization.ImageNet);

    public IEnumerable<AnnotatedImage> Images(Func<int, bool>? select = null)
    {
        for (int i = 0; i < _scenes.Count; i++)
        {
            if (select is not null && !select(i)) continue;
            var scene = _scenes[i];
            var present = scene.Classes;
            var regions = present.Select(c =>
            {
                var mask = scene.ClassMask(c);
                return new ClassRegion(c, [scene.ClassBox(c)!.Value], mask, Difficult: false,
                    InDifficultSubset: PointingGame.IsDifficult(mask, present.Count > 1));
            }).ToArray();
            yield return new AnnotatedImage(scene.Seed.ToString(System.Globalization.CultureInfo.InvariantCulture), i, scene.Width, scene.Height,
                regions, () => new RgbImage(scene.Width, scene.Height, scene.Rgb));
        }
    }
}
