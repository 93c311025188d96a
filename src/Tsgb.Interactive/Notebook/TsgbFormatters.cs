using TsgbKit.Engine;
using TsgbKit.Explain;
using TsgbKit.Imaging;
using TsgbKit.Jupyter;
using TsgbKit.Synthetic;
using TsgbKit.Scripting.Formatting;

namespace TsgbKit.Interactive.Notebook;

/// <summary>
/// How Tsgb's types look in a notebook: explanations and images as image/png (with text/plain beside them),
/// layer statistics as the DataFrame table. Registered once per process in the interpreter's MimeFormatter, so
/// results, display() and `#!tsgb` commands all show them the same way.
/// </summary>
public static class TsgbFormatters
{
    /// <summary>Images narrower than this are shown twice as large (the demo scenes are 112 pixels).</summary>
    private const int SmallImage = 160;

    private static int s_registered;

    public static void Register()
    {
        if (Interlocked.Exchange(ref s_registered, 1) == 1) return;
        // IReadOnlyList<Explanation> first: later registrations win, so ExplanationSet and Explanation come after.
        MimeFormatter.RegisterBundle<IReadOnlyList<Explanation>>(Grid);
        MimeFormatter.RegisterBundle<ExplanationSet>(Grid);
        MimeFormatter.RegisterBundle<Explanation>(e => Png(e.ToPng(), e.Width, e.ToString()));
        MimeFormatter.RegisterBundle<RgbImage>(i => Png(i.ToPng(), i.Width, $"RgbImage {i.Width}×{i.Height}"));
        MimeFormatter.RegisterBundle<Scene>(s => Png(s.ToPng(), s.Width, SceneText(s)));
        MimeFormatter.RegisterBundle<LayerStatistics>(s => MimeFormatter.Format(s.ToDataFrame()));
    }

    /// <summary>One grid image of all the explanations (none for an empty list: then it is shown as text).</summary>
    private static MimeBundle? Grid(IReadOnlyList<Explanation> explanations)
    {
        if (explanations.Count == 0) return null;
        var grid = ExplanationGrid.Render(explanations);
        return Png(grid.ToPng(), grid.Width, string.Join(Environment.NewLine, explanations));
    }

    internal static string SceneText(Scene scene)
    {
        var classes = scene.Classes.Select(SceneClasses.NameOf).ToArray();
        return $"Scene {scene.Seed} ({scene.Width}×{scene.Height}): {(classes.Length == 0 ? "no objects" : string.Join(", ", classes))}";
    }

    private static MimeBundle Png(byte[] png, int width, string text)
    {
        var bundle = new MimeBundle { ["image/png"] = Convert.ToBase64String(png), ["text/plain"] = text };
        if (width < SmallImage) bundle.Metadata["image/png"] = new Dictionary<string, object> { ["width"] = width * 2 };
        return bundle;
    }
}
