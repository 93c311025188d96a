using System.Globalization;
using System.Xml;
using System.Xml.Linq;
using TsgbKit.Imaging;
using TsgbKit.Labels;
using TsgbKit.Synthetic;

namespace TsgbKit.Datasets;

/// <summary>
/// PASCAL VOC in its own layout: <c>ImageSets/Main/&lt;split&gt;.txt</c> (one id per line, the image order),
/// <c>Annotations/&lt;id&gt;.xml</c>, <c>JPEGImages/&lt;id&gt;.jpg</c>. <paramref name="root"/> is the VOC2007 folder or
/// the VOCdevkit folder above it. A class's region is the union of all its boxes (PASCAL-difficult ones included, as
/// TorchRay's <c>voc_as_mask</c>): 1-based inclusive corners (xmin, ymin, xmax, ymax) become pixels xmin−1 … xmax−1.
/// A class whose objects are all marked difficult is flagged <see cref="ClassRegion.Difficult"/> (TorchRay skips it).
/// Annotations are parsed as images are enumerated; the split file is read once.
/// </summary>
public sealed class VocDataset : IAnnotatedDataset
{
    readonly string[] _ids;

    public VocDataset(string root, string split = "test", string tag = "voc07")
    {
        if (Directory.Exists(Path.Combine(root, "VOC2007", "Annotations"))) root = Path.Combine(root, "VOC2007");
        if (!Directory.Exists(root)) throw new DatasetException(root, "no such folder (expected a VOC2007 folder with JPEGImages/, Annotations/, ImageSets/Main/)");
        Root = root;
        Split = split;
        var splitFile = Path.Combine(root, "ImageSets", "Main", split + ".txt");
        if (!File.Exists(splitFile))
            throw new DatasetException(splitFile, $"split file not found (the split '{split}' needs ImageSets/Main/{split}.txt)");
        _ids = File.ReadAllLines(splitFile).Select(l => l.Trim()).Where(l => l.Length > 0)
            .Select(l => l.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries)[0]).ToArray();
        if (_ids.Length == 0) throw new DatasetException(splitFile, "the split is empty");
        var dup = _ids.GroupBy(i => i).FirstOrDefault(g => g.Count() > 1);
        if (dup is not null) throw new DatasetException(splitFile, $"image id '{dup.Key}' is listed twice");
        Name = $"{tag}:{split}";
    }

    public string Root { get; }
    public string Split { get; }
    public string Name { get; }
    public IReadOnlyList<string> Classes => BenchmarkLabels.VocNames;
    public int Count => _ids.Length;
    public double Tolerance => 15;
    public BenchmarkInput DefaultInput => BenchmarkInput.TorchRay;
    public IReadOnlyList<string> Ids => _ids;

    public IEnumerable<AnnotatedImage> Images(Func<int, bool>? select = null)
    {
        for (int i = 0; i < _ids.Length; i++)
            if (select is null || select(i)) yield return Read(i);
    }

    /// <summary>Image <paramref name="index"/> with its annotation (parsed now; the pixels when loaded).</summary>
    public AnnotatedImage Read(int index)
    {
        var id = _ids[index];
        var xmlPath = Path.Combine(Root, "Annotations", id + ".xml");
        var imagePath = Path.Combine(Root, "JPEGImages", id + ".jpg");
        var (width, height, objects) = ParseAnnotation(xmlPath);
        if (!File.Exists(imagePath)) throw new DatasetException(imagePath, $"image not found (listed in ImageSets/Main/{Split}.txt)");
        var regions = objects.GroupBy(o => o.Class).OrderBy(g => g.Key)
            .Select(g => new ClassRegion(g.Key, g.Select(o => o.Box).ToArray(), Mask: null, Difficult: g.All(o => o.Difficult)))
            .ToArray();
        return new AnnotatedImage(id, index, width, height, regions, () =>
        {
            var image = RgbImage.Load(imagePath);
            if (image.Width != width || image.Height != height)
                throw new DatasetException(imagePath, $"the image is {image.Width}×{image.Height} but {xmlPath} says {width}×{height}");
            return image;
        });
    }

    internal static (int Width, int Height, List<(int Class, Box Box, bool Difficult)> Objects) ParseAnnotation(string xmlPath)
    {
        if (!File.Exists(xmlPath)) throw new DatasetException(xmlPath, "annotation not found");
        XDocument doc;
        try { doc = XDocument.Load(xmlPath); }
        catch (XmlException e) { throw new DatasetException(xmlPath, $"malformed XML: {e.Message}", e); }
        var annotation = doc.Root;
        if (annotation is null || annotation.Name.LocalName != "annotation") throw new DatasetException(xmlPath, "no <annotation> root element");
        int Number(XElement? parent, string name, string where)
        {
            var text = parent?.Element(name)?.Value.Trim();
            if (text is null) throw new DatasetException(xmlPath, $"{where} has no <{name}>");
            if (!double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var v) || double.IsNaN(v))
                throw new DatasetException(xmlPath, $"{where}: <{name}> is '{text}', not a number");
            return (int)v; // VOC's values are integers; a fractional one is truncated as int(float(...)) would
        }
        var size = annotation.Element("size") ?? throw new DatasetException(xmlPath, "no <size> element");
        int width = Number(size, "width", "<size>"), height = Number(size, "height", "<size>");
        if (width <= 0 || height <= 0) throw new DatasetException(xmlPath, $"image size {width}×{height} is not positive");
        var objects = new List<(int, Box, bool)>();
        int k = 0;
        foreach (var obj in annotation.Elements("object"))
        {
            k++;
            var name = obj.Element("name")?.Value.Trim() ?? throw new DatasetException(xmlPath, $"object {k} has no <name>");
            int c = IndexOf(BenchmarkLabels.VocNames, name);
            if (c < 0) throw new DatasetException(xmlPath, $"object {k}: unknown class '{name}'; VOC's classes are {string.Join(", ", BenchmarkLabels.VocNames)}");
            var box = obj.Element("bndbox") ?? throw new DatasetException(xmlPath, $"object {k} ({name}) has no <bndbox>");
            string where = $"object {k} ({name})";
            int xmin = Number(box, "xmin", where), ymin = Number(box, "ymin", where), xmax = Number(box, "xmax", where), ymax = Number(box, "ymax", where);
            if (xmin < 1 || ymin < 1 || xmax > width || ymax > height || xmin > xmax || ymin > ymax)
                throw new DatasetException(xmlPath, $"{where}: box ({xmin},{ymin})–({xmax},{ymax}) lies outside the {width}×{height} image (VOC boxes are 1-based, inclusive)");
            var difficultText = obj.Element("difficult")?.Value.Trim();
            bool difficult = difficultText is not null && difficultText != "0" && difficultText.Length > 0;
            objects.Add((c, new Box(xmin - 1, ymin - 1, xmax, ymax), difficult));
        }
        return (width, height, objects);
    }

    static int IndexOf(IReadOnlyList<string> names, string name)
    {
        for (int i = 0; i < names.Count; i++) if (names[i] == name) return i;
        return -1;
    }
}
