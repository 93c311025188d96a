using TsgbKit.Errors;

namespace TsgbKit.Datasets;

/// <summary>
/// The (image, class) pairs of the pointing game's "difficult" column. Two file formats, told apart per line:
/// <list type="bullet">
/// <item>TorchRay's (<c>pointing_game_ebp_voc07_difficult.txt</c>, <c>…_coco_difficult.txt</c>): an image name, then one
/// tab-separated 0/1 flag per class (20 or 80). A listed pair with flag 0 is left out of the column. As in TorchRay,
/// an image that the file does not list keeps all its pairs.</item>
/// <item>A plain id list: one image id per line: every pair of a listed image is difficult, pairs of unlisted images
/// are not (when every line of the file is a bare id).</item>
/// </list>
/// Blank lines and lines starting with '#' are ignored.
/// </summary>
public sealed class DifficultSubset
{
    readonly Dictionary<string, bool[]?> _entries;
    readonly bool _plainList;

    DifficultSubset(Dictionary<string, bool[]?> entries, bool plainList, string file)
    {
        _entries = entries;
        _plainList = plainList;
        File = file;
    }

    public string File { get; }

    /// <summary>Number of images listed.</summary>
    public int Count => _entries.Count;

    public static DifficultSubset Load(string path, int classCount)
    {
        if (!System.IO.File.Exists(path)) throw new DatasetException(path, "difficult-subset file not found");
        var entries = new Dictionary<string, bool[]?>();
        bool anyFlags = false, anyBare = false;
        int lineNumber = 0;
        foreach (var raw in System.IO.File.ReadLines(path))
        {
            lineNumber++;
            var line = raw.Trim();
            if (line.Length == 0 || line.StartsWith('#')) continue;
            var fields = line.Split(['\t', ' '], StringSplitOptions.RemoveEmptyEntries);
            var id = Path.GetFileNameWithoutExtension(fields[0]);
            bool[]? flags = null;
            if (fields.Length > 1)
            {
                if (fields.Length - 1 != classCount)
                    throw new DatasetException(path, $"line {lineNumber}: {fields.Length - 1} class flags for a dataset of {classCount} classes");
                flags = new bool[classCount];
                for (int c = 0; c < classCount; c++)
                    flags[c] = fields[c + 1] switch
                    {
                        "0" => false,
                        "1" => true,
                        var f => throw new DatasetException(path, $"line {lineNumber}: flag '{f}' is neither 0 nor 1"),
                    };
                anyFlags = true;
            }
            else anyBare = true;
            if (!entries.TryAdd(id, flags)) throw new DatasetException(path, $"line {lineNumber}: image '{id}' is listed twice");
        }
        if (entries.Count == 0) throw new DatasetException(path, "the difficult-subset file lists no image");
        return new DifficultSubset(entries, plainList: anyBare && !anyFlags, path);
    }

    /// <summary>Whether the pair (image, class) counts in the difficult column.</summary>
    public bool Contains(string imageId, int classIndex)
    {
        if (!_entries.TryGetValue(imageId, out var flags)) return !_plainList; // TorchRay: an unlisted image keeps its pairs
        return flags is null || (classIndex < flags.Length && flags[classIndex]);
    }
}
