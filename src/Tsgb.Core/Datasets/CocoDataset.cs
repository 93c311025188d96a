using System.Text.Json;
using TsgbKit.Imaging;
using TsgbKit.Labels;
using TsgbKit.Synthetic;

namespace TsgbKit.Datasets;

/// <summary>
/// COCO detection data: an instances file (<c>annotations/instances_&lt;split&gt;.json</c>) and an image folder
/// (<c>&lt;split&gt;/</c>), both under <paramref name="root"/> (or give the two paths). Images in ascending image id
/// (torchvision's CocoDetection order, which TorchRay iterates); an image's id is its file name without extension. Class
/// index = position of the category id in COCO's 80 ids (TorchRay's mapping). A class's region is the union of its
/// instances' masks (polygons and RLE, crowd annotations included, as <c>annToMask</c> in TorchRay's
/// <c>coco_as_mask</c>); its boxes are the instances' <c>bbox</c>. The JSON is parsed once (it stays in memory: the
/// annotations, not the images); masks are rasterised as images are enumerated.
/// </summary>
public sealed class CocoDataset : IAnnotatedDataset, IDisposable
{
    readonly JsonDocument _document;
    readonly (long Id, string File, int Width, int Height)[] _images;
    readonly Dictionary<long, List<JsonElement>> _annotations = [];
    readonly Dictionary<int, int> _classOfCategory;

    public CocoDataset(string root, string split = "val2014", string tag = "coco14", string? annotationFile = null, string? imageFolder = null)
    {
        annotationFile ??= File.Exists(Path.Combine(root, "annotations", $"instances_{split}.json"))
            ? Path.Combine(root, "annotations", $"instances_{split}.json")
            : Path.Combine(root, $"instances_{split}.json");
        imageFolder ??= Directory.Exists(Path.Combine(root, split)) ? Path.Combine(root, split) : Path.Combine(root, "images", split);
        if (!File.Exists(annotationFile))
            throw new DatasetException(annotationFile, $"COCO instances file not found (expected {root}/annotations/instances_{split}.json)");
        if (!Directory.Exists(imageFolder)) throw new DatasetException(imageFolder, $"COCO image folder not found (expected {root}/{split}/)");
        AnnotationFile = annotationFile;
        ImageFolder = imageFolder;
        _classOfCategory = BenchmarkLabels.CocoCategoryIds.Select((id, i) => (id, i)).ToDictionary(p => p.id, p => p.i);
        try
        {
            using var stream = File.OpenRead(annotationFile);
            _document = JsonDocument.Parse(stream);
        }
        catch (JsonException e) { throw new DatasetException(annotationFile, $"malformed JSON: {e.Message}", e); }
        try
        {
            var rootElement = _document.RootElement;
            if (rootElement.ValueKind != JsonValueKind.Object || !rootElement.TryGetProperty("images", out var images) || images.ValueKind != JsonValueKind.Array)
                throw new DatasetException(annotationFile, "not a COCO instances file: no \"images\" array");
            _images = images.EnumerateArray().Select((e, i) => (
                    e.GetProperty("id").GetInt64(),
                    e.GetProperty("file_name").GetString() ?? throw new DatasetException(annotationFile, $"image {i} has a null file_name"),
                    e.GetProperty("width").GetInt32(), e.GetProperty("height").GetInt32()))
                .OrderBy(i => i.Item1).ToArray();
            if (_images.Length == 0) throw new DatasetException(annotationFile, "the split is empty (no images)");
            var known = new HashSet<long>();
            foreach (var image in _images)
            {
                if (!known.Add(image.Id)) throw new DatasetException(annotationFile, $"image id {image.Id} is listed twice");
                if (image.Width <= 0 || image.Height <= 0) throw new DatasetException(annotationFile, $"image {image.File} has size {image.Width}×{image.Height}");
            }
            if (rootElement.TryGetProperty("annotations", out var annotations))
                foreach (var a in annotations.EnumerateArray())
                {
                    long imageId = a.GetProperty("image_id").GetInt64();
                    int category = a.GetProperty("category_id").GetInt32();
                    long annId = a.TryGetProperty("id", out var idElement) ? idElement.GetInt64() : -1;
                    if (!known.Contains(imageId)) throw new DatasetException(annotationFile, $"annotation {annId} refers to image {imageId}, which is not in \"images\"");
                    if (!_classOfCategory.ContainsKey(category))
                        throw new DatasetException(annotationFile, $"annotation {annId}: unknown class (category_id {category}); COCO's 80 category ids are {string.Join(",", BenchmarkLabels.CocoCategoryIds)}");
                    if (!_annotations.TryGetValue(imageId, out var list)) _annotations[imageId] = list = [];
                    list.Add(a);
                }
        }
        catch (Exception e) when (e is KeyNotFoundException or InvalidOperationException or FormatException)
        {
            _document.Dispose();
            throw new DatasetException(annotationFile, $"not a COCO instances file: {e.Message}", e);
        }
        Name = $"{tag}:{split}";
    }

    public string AnnotationFile { get; }
    public string ImageFolder { get; }
    public string Name { get; }
    public IReadOnlyList<string> Classes => BenchmarkLabels.CocoNames;
    public int Count => _images.Length;
    public double Tolerance => 15;
    public BenchmarkInput DefaultInput => BenchmarkInput.TorchRay;

    public IEnumerable<AnnotatedImage> Images(Func<int, bool>? select = null)
    {
        for (int i = 0; i < _images.Length; i++)
            if (select is null || select(i)) yield return Read(i);
    }

    public AnnotatedImage Read(int index)
    {
        var (id, file, width, height) = _images[index];
        var path = Path.Combine(ImageFolder, file);
        if (!File.Exists(path)) throw new DatasetException(path, $"image not found (image {id} of {AnnotationFile})");
        var byClass = new SortedDictionary<int, (List<Box> Boxes, Mask Mask)>();
        if (_annotations.TryGetValue(id, out var annotations))
            foreach (var a in annotations)
            {
                int c = _classOfCategory[a.GetProperty("category_id").GetInt32()];
                string where = $"{AnnotationFile} (annotation {(a.TryGetProperty("id", out var ai) ? ai.GetInt64() : -1)})";
                var mask = InstanceMask(a, width, height, where);
                var box = BoxOf(a, width, height, where) ?? mask.BoundingBox();
                if (!byClass.TryGetValue(c, out var entry)) byClass[c] = entry = ([], new Mask(width, height));
                entry.Boxes.Add(box);
                for (int p = 0; p < mask.Data.Length; p++) entry.Mask.Data[p] |= mask.Data[p];
            }
        var regions = byClass.Select(kv => new ClassRegion(kv.Key, kv.Value.Boxes, kv.Value.Mask)).ToArray();
        return new AnnotatedImage(Path.GetFileNameWithoutExtension(file), index, width, height, regions, () =>
        {
            var image = RgbImage.Load(path);
            if (image.Width != width || image.Height != height)
                throw new DatasetException(path, $"the image is {image.Width}×{image.Height} but {AnnotationFile} says {width}×{height}");
            return image;
        });
    }

    static Box? BoxOf(JsonElement a, int width, int height, string where)
    {
        if (!a.TryGetProperty("bbox", out var b) || b.ValueKind != JsonValueKind.Array) return null;
        var v = b.EnumerateArray().Select(e => e.GetDouble()).ToArray();
        if (v.Length != 4) throw new DatasetException(where, $"bbox has {v.Length} numbers, not 4");
        const double slack = 1; // COCO's float boxes may overshoot the border by rounding
        if (v[0] < -slack || v[1] < -slack || v[2] < 0 || v[3] < 0 || v[0] + v[2] > width + slack || v[1] + v[3] > height + slack)
            throw new DatasetException(where, $"bbox [{string.Join(", ", v)}] lies outside the {width}×{height} image");
        int left = Math.Max(0, (int)Math.Floor(v[0])), top = Math.Max(0, (int)Math.Floor(v[1]));
        int right = Math.Min(width, (int)Math.Ceiling(v[0] + v[2])), bottom = Math.Min(height, (int)Math.Ceiling(v[1] + v[3]));
        return new Box(left, top, right, bottom);
    }

    /// <summary>An annotation's mask: polygons (merged), uncompressed RLE (counts array) or compressed RLE (counts string).</summary>
    internal static Mask InstanceMask(JsonElement a, int width, int height, string where)
    {
        if (!a.TryGetProperty("segmentation", out var seg)) throw new DatasetException(where, "no segmentation");
        if (seg.ValueKind == JsonValueKind.Array)
        {
            var mask = new Mask(width, height);
            foreach (var polygon in seg.EnumerateArray())
            {
                if (polygon.ValueKind != JsonValueKind.Array) throw new DatasetException(where, "a polygon is not an array of numbers");
                var p = CocoMasks.FromPolygon(polygon.EnumerateArray().Select(e => e.GetDouble()).ToArray(), width, height, where);
                for (int i = 0; i < p.Data.Length; i++) mask.Data[i] |= p.Data[i];
            }
            return mask;
        }
        if (seg.ValueKind == JsonValueKind.Object && seg.TryGetProperty("counts", out var counts))
        {
            if (seg.TryGetProperty("size", out var size) && size.ValueKind == JsonValueKind.Array)
            {
                var hw = size.EnumerateArray().Select(e => e.GetInt32()).ToArray();
                if (hw.Length != 2 || hw[0] != height || hw[1] != width)
                    throw new DatasetException(where, $"RLE size [{string.Join(", ", hw)}] differs from the image's [{height}, {width}]");
            }
            long[] values = counts.ValueKind switch
            {
                JsonValueKind.Array => counts.EnumerateArray().Select(e => e.GetInt64()).ToArray(),
                JsonValueKind.String => CocoMasks.DecodeCountsString(counts.GetString()!, where),
                _ => throw new DatasetException(where, "RLE counts are neither an array nor a string"),
            };
            return CocoMasks.FromCounts(values, width, height, where);
        }
        throw new DatasetException(where, "segmentation is neither polygons nor RLE");
    }

    public void Dispose() => _document.Dispose();
}
