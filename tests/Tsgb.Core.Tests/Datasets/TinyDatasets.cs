using System.Text.Json;
using TsgbKit.Imaging;

namespace TsgbKit.Tests.Datasets;

/// <summary>
/// Tiny VOC- and COCO-format datasets written by the tests themselves (generated images, known objects); nothing is
/// downloaded. Each call makes a fresh folder under the temp directory.
/// </summary>
internal static class TinyDatasets
{
    public static string NewFolder(string name)
    {
        var dir = Path.Combine(Path.GetTempPath(), $"tsgb-{name}-{Environment.ProcessId}-{Guid.NewGuid():N}");
        Directory.CreateDirectory(dir);
        return dir;
    }

    /// <summary>An image with a light background and darker rectangles where the objects are (PNG bytes in a .jpg name: decoders go by content).</summary>
    public static void WriteImage(string path, int width, int height, params (int X0, int Y0, int X1, int Y1)[] boxes)
    {
        var pixels = new byte[width * height * 3];
        for (int i = 0; i < pixels.Length; i++) pixels[i] = 220;
        foreach (var (x0, y0, x1, y1) in boxes)
            for (int y = y0; y < y1; y++)
                for (int x = x0; x < x1; x++) { int o = (y * width + x) * 3; pixels[o] = 40; pixels[o + 1] = 90; pixels[o + 2] = 160; }
        new RgbImage(width, height, pixels).SavePng(path);
    }

    public record VocObject(string Name, int XMin, int YMin, int XMax, int YMax, bool Difficult = false);

    public static string VocXml(int width, int height, IEnumerable<VocObject> objects, string id = "x") =>
        $"<annotation><folder>VOC2007</folder><filename>{id}.jpg</filename><size><width>{width}</width><height>{height}</height><depth>3</depth></size>"
        + string.Concat(objects.Select(o => $"<object><name>{o.Name}</name><pose>Unspecified</pose><truncated>0</truncated><difficult>{(o.Difficult ? 1 : 0)}</difficult>"
            + $"<bndbox><xmin>{o.XMin}</xmin><ymin>{o.YMin}</ymin><xmax>{o.XMax}</xmax><ymax>{o.YMax}</ymax></bndbox></object>"))
        + "</annotation>";

    /// <summary>
    /// VOCdevkit/VOC2007 with three 60×40 images (centre point (30, 20), τ = 15):
    /// 000001: dog box around the centre (hit for the centre baseline), person box in the top-left corner (miss);
    /// 000002: cat, difficult only (skipped), bird in the bottom-left corner (miss);
    /// 000003: car, one difficult box and one around the centre (hit).
    /// </summary>
    public static string Voc()
    {
        var root = NewFolder("voc");
        var voc = Path.Combine(root, "VOC2007");
        foreach (var d in new[] { "JPEGImages", "Annotations", Path.Combine("ImageSets", "Main") }) Directory.CreateDirectory(Path.Combine(voc, d));
        var images = new Dictionary<string, VocObject[]>
        {
            ["000001"] = [new("dog", 25, 15, 35, 25), new("person", 1, 1, 8, 8)],
            ["000002"] = [new("cat", 50, 30, 60, 40, Difficult: true), new("bird", 1, 30, 10, 40)],
            ["000003"] = [new("car", 45, 2, 55, 8, Difficult: true), new("car", 20, 10, 40, 30)],
        };
        foreach (var (id, objects) in images)
        {
            File.WriteAllText(Path.Combine(voc, "Annotations", id + ".xml"), VocXml(60, 40, objects, id));
            WriteImage(Path.Combine(voc, "JPEGImages", id + ".jpg"), 60, 40, objects.Select(o => (o.XMin - 1, o.YMin - 1, o.XMax, o.YMax)).ToArray());
        }
        File.WriteAllLines(Path.Combine(voc, "ImageSets", "Main", "test.txt"), images.Keys);
        return root;
    }

    /// <summary>TorchRay's difficult format for <see cref="Voc"/>: 000001 keeps only dog, 000002 nothing, 000003 unlisted (kept).</summary>
    public static string VocDifficult(string folder)
    {
        var path = Path.Combine(folder, "voc07_difficult.txt");
        string Flags(params int[] on) => string.Join("\t", Enumerable.Range(0, 20).Select(c => on.Contains(c) ? "1" : "0"));
        File.WriteAllLines(path, ["000001\t" + Flags(11), "000002\t" + Flags()]);
        return path;
    }

    /// <summary>
    /// COCO 2014 layout (annotations/instances_val2014.json, val2014/) with two 40×30 images (centre (20, 15)):
    /// id 9 "COCO_val2014_000000000009.jpg": a dog (category 18) rectangle polygon around the centre and a person
    /// (category 1) triangle in the top-left corner; id 4: a crowd RLE cat (category 17) in the right-hand columns.
    /// Listed out of id order: images are read in ascending id.
    /// </summary>
    public static string Coco(Action<Dictionary<string, object>>? edit = null)
    {
        var root = NewFolder("coco");
        Directory.CreateDirectory(Path.Combine(root, "annotations"));
        Directory.CreateDirectory(Path.Combine(root, "val2014"));
        WriteImage(Path.Combine(root, "val2014", "COCO_val2014_000000000009.jpg"), 40, 30, (10, 8, 30, 22));
        WriteImage(Path.Combine(root, "val2014", "COCO_val2014_000000000004.jpg"), 40, 30, (36, 0, 40, 30));
        // cat: columns 36..39 fully set: column-major counts = 36 columns × 30 rows of 0s, then 4 × 30 of 1s
        var json = new Dictionary<string, object>
        {
            ["images"] = new object[]
            {
                new Dictionary<string, object> { ["id"] = 9, ["file_name"] = "COCO_val2014_000000000009.jpg", ["width"] = 40, ["height"] = 30 },
                new Dictionary<string, object> { ["id"] = 4, ["file_name"] = "COCO_val2014_000000000004.jpg", ["width"] = 40, ["height"] = 30 },
            },
            ["annotations"] = new object[]
            {
                new Dictionary<string, object> { ["id"] = 1, ["image_id"] = 9, ["category_id"] = 18, ["iscrowd"] = 0, ["bbox"] = new[] { 10.0, 8, 20, 14 },
                    ["segmentation"] = new[] { new[] { 10.0, 8, 30, 8, 30, 22, 10, 22 } } },
                new Dictionary<string, object> { ["id"] = 2, ["image_id"] = 9, ["category_id"] = 1, ["iscrowd"] = 0, ["bbox"] = new[] { 0.0, 0, 5, 5 },
                    ["segmentation"] = new[] { new[] { 0.0, 0, 5, 0, 0, 5 } } },
                new Dictionary<string, object> { ["id"] = 3, ["image_id"] = 4, ["category_id"] = 17, ["iscrowd"] = 1, ["bbox"] = new[] { 36.0, 0, 4, 30 },
                    ["segmentation"] = new Dictionary<string, object> { ["size"] = new[] { 30, 40 }, ["counts"] = new[] { 36 * 30, 4 * 30 } } },
            },
            ["categories"] = new object[] { new Dictionary<string, object> { ["id"] = 1, ["name"] = "person" } },
        };
        edit?.Invoke(json);
        File.WriteAllText(Path.Combine(root, "annotations", "instances_val2014.json"), JsonSerializer.Serialize(json));
        return root;
    }
}
