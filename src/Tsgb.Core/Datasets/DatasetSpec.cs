using TsgbKit.Errors;

namespace TsgbKit.Datasets;

/// <summary>
/// What <c>--dataset</c> names: <c>voc07:DIR</c> (PASCAL VOC 2007, split "test" by default), <c>coco14:DIR</c> (COCO 2014,
/// split "val2014" by default) or <c>scenes</c> (the synthetic scenes; <c>scenes:N</c> for N of them, seed from the caller).
/// </summary>
public static class DatasetSpec
{
    /// <param name="spec">the option's text</param>
    /// <param name="split">--split, or null for the dataset's default</param>
    /// <param name="sceneCount">how many scenes when the spec does not say (scenes only)</param>
    /// <param name="sceneSeed">seed of the held-out scenes</param>
    public static IAnnotatedDataset Open(string spec, string? split = null, int sceneCount = 100, int sceneSeed = 7)
    {
        int colon = spec.IndexOf(':');
        string kind = (colon < 0 ? spec : spec[..colon]).ToLowerInvariant(), arg = colon < 0 ? "" : spec[(colon + 1)..];
        switch (kind)
        {
            case "scenes":
                int count = sceneCount;
                if (arg.Length > 0 && (!int.TryParse(arg, out count) || count < 1))
                    throw new TsgbInputException($"--dataset '{spec}': scenes:N needs a positive number of scenes");
                return new SceneBenchmark(count, sceneSeed);
            case "voc07" or "voc":
                if (arg.Length == 0) throw new TsgbInputException($"--dataset '{spec}': give the folder, voc07:DIR");
                return new VocDataset(arg, split ?? "test", "voc07");
            case "coco14" or "coco":
                if (arg.Length == 0) throw new TsgbInputException($"--dataset '{spec}': give the folder, coco14:DIR");
                return new CocoDataset(arg, split ?? "val2014", "coco14");
            default:
                throw new TsgbInputException($"--dataset '{spec}': use voc07:DIR, coco14:DIR or scenes");
        }
    }
}
