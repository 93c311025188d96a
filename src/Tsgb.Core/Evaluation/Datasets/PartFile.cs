using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using TsgbKit.Datasets;
using TsgbKit.Errors;

namespace TsgbKit.Evaluation.Datasets;

/// <summary>
/// The run parameters a part file starts with (its first line). Two parts can be merged, and a part resumed, only when
/// every field but <see cref="Shard"/> agrees. <see cref="CausalImages"/>: deletion/insertion were asked on the images
/// of index &lt; N (0: not asked); <see cref="ClassSensitivity"/>: class sensitivity was asked. Headers written before
/// these existed lack them and read as "not asked".
/// </summary>
public sealed record PartHeader(string Dataset, int Images, IReadOnlyList<string> Classes, string Model, string? Weights,
    IReadOnlyList<string> Methods, string Input, double Tolerance, string? Difficult, string Shard,
    int CausalImages = 0, bool ClassSensitivity = false)
{
    public const int FormatVersion = 1;

    /// <summary>The fields that must agree, as name → text (all but the shard).</summary>
    public IEnumerable<(string Field, string Value)> Identity()
    {
        yield return ("dataset", Dataset);
        yield return ("images", Images.ToString(CultureInfo.InvariantCulture));
        yield return ("classes", string.Join(",", Classes));
        yield return ("model", Model);
        yield return ("weights", Weights ?? "(built in)");
        yield return ("methods", string.Join(",", Methods));
        yield return ("input", Input);
        yield return ("tolerance", Tolerance.ToString("R", CultureInfo.InvariantCulture));
        yield return ("difficult", Difficult ?? "(none)");
        yield return ("causal_images", CausalImages.ToString(CultureInfo.InvariantCulture));
        yield return ("class_sensitivity", ClassSensitivity ? "true" : "false");
    }

    /// <summary>The first field in which the two headers differ, or null.</summary>
    public string? Difference(PartHeader other)
    {
        foreach (var ((field, a), (_, b)) in Identity().Zip(other.Identity()))
            if (a != b) return $"{field} is '{a}' there but '{b}' here";
        return null;
    }

    public string ToJson() => new JsonObject
    {
        ["tsgb_part"] = FormatVersion,
        ["dataset"] = Dataset,
        ["images"] = Images,
        ["classes"] = new JsonArray(Classes.Select(c => (JsonNode)JsonValue.Create(c)!).ToArray()),
        ["model"] = Model,
        ["weights"] = Weights,
        ["methods"] = new JsonArray(Methods.Select(c => (JsonNode)JsonValue.Create(c)!).ToArray()),
        ["input"] = Input,
        ["tolerance"] = Tolerance,
        ["difficult"] = Difficult,
        ["shard"] = Shard,
        ["causal_images"] = CausalImages,
        ["class_sensitivity"] = ClassSensitivity,
    }.ToJsonString();

    internal static PartHeader Parse(string line, string file)
    {
        try
        {
            var o = JsonNode.Parse(line)?.AsObject() ?? throw new DatasetException(file, "the first line is not a part header");
            if (o["tsgb_part"]?.GetValue<int>() is not int version) throw new DatasetException(file, "not a tsgb part file (its first line has no \"tsgb_part\")");
            if (version != FormatVersion) throw new DatasetException(file, $"part format {version}; this tsgb reads format {FormatVersion}");
            return new PartHeader(o["dataset"]!.GetValue<string>(), o["images"]!.GetValue<int>(),
                o["classes"]!.AsArray().Select(n => n!.GetValue<string>()).ToArray(), o["model"]!.GetValue<string>(),
                o["weights"]?.GetValue<string>(), o["methods"]!.AsArray().Select(n => n!.GetValue<string>()).ToArray(),
                o["input"]!.GetValue<string>(), o["tolerance"]!.GetValue<double>(), o["difficult"]?.GetValue<string>(),
                o["shard"]!.GetValue<string>(),
                o["causal_images"]?.GetValue<int>() ?? 0, o["class_sensitivity"]?.GetValue<bool>() ?? false);
        }
        catch (Exception e) when (e is JsonException or InvalidOperationException or NullReferenceException or FormatException)
        {
            throw new DatasetException(file, $"the first line is not a valid part header: {e.Message}", e);
        }
    }
}

/// <summary>
/// One pointing trial: an image × class × method. <see cref="Difficult"/>: hit in the difficult column, null when the pair
/// is not in it (or no difficult subset is known). <see cref="Energy"/>: share of positive map energy in the class's
/// boxes (NaN for the centre baseline). <see cref="Deletion"/>, <see cref="Insertion"/>: RISE's AUCs for this class and
/// map, NaN when not asked for this image (then the line has no such fields).
/// </summary>
public sealed record PartRecord(int Index, string Image, string Method, int Class, bool Hit, bool? InDifficult, double Energy,
    double Deletion = double.NaN, double Insertion = double.NaN)
{
    public string ToJson()
    {
        var sb = new StringBuilder(128);
        sb.Append("{\"index\":").Append(Index.ToString(CultureInfo.InvariantCulture))
          .Append(",\"image\":").Append(JsonSerializer.Serialize(Image))
          .Append(",\"method\":").Append(JsonSerializer.Serialize(Method))
          .Append(",\"class\":").Append(Class.ToString(CultureInfo.InvariantCulture))
          .Append(",\"hit\":").Append(Hit ? "true" : "false")
          .Append(",\"difficult\":").Append(InDifficult is bool d ? (d ? "true" : "false") : "null")
          .Append(",\"energy\":").Append(double.IsNaN(Energy) ? "null" : Energy.ToString("R", CultureInfo.InvariantCulture));
        // optional: a run that did not ask for them writes the lines it always wrote
        if (!double.IsNaN(Deletion)) sb.Append(",\"deletion\":").Append(Deletion.ToString("R", CultureInfo.InvariantCulture));
        if (!double.IsNaN(Insertion)) sb.Append(",\"insertion\":").Append(Insertion.ToString("R", CultureInfo.InvariantCulture));
        return sb.Append('}').ToString();
    }
}

/// <summary>
/// Class sensitivity of one image × method: the Spearman correlation of the maps of the image's most and least probable
/// classes (<see cref="Metrics.ClassSensitivity.Score"/>); NaN (written null) when a map is constant.
/// </summary>
public sealed record PartSensitivity(int Index, string Image, string Method, int MostProbable, int LeastProbable, double Score)
{
    public string ToJson()
    {
        var sb = new StringBuilder(128);
        sb.Append("{\"index\":").Append(Index.ToString(CultureInfo.InvariantCulture))
          .Append(",\"image\":").Append(JsonSerializer.Serialize(Image))
          .Append(",\"method\":").Append(JsonSerializer.Serialize(Method))
          .Append(",\"most\":").Append(MostProbable.ToString(CultureInfo.InvariantCulture))
          .Append(",\"least\":").Append(LeastProbable.ToString(CultureInfo.InvariantCulture))
          .Append(",\"sensitivity\":").Append(double.IsNaN(Score) ? "null" : Score.ToString("R", CultureInfo.InvariantCulture))
          .Append('}');
        return sb.ToString();
    }
}

/// <summary>The records of one image, complete (its "done" line was written); no sensitivities unless they were asked.</summary>
public sealed record PartBlock(int Index, string Image, IReadOnlyList<PartRecord> Records, string File)
{
    public IReadOnlyList<PartSensitivity> Sensitivities { get; init; } = [];
}

/// <summary>A part file as read: header, complete image blocks, and where the complete part ends.</summary>
public sealed record PartContent(PartHeader Header, IReadOnlyList<PartBlock> Blocks, long CompleteLength, int IncompleteLines, string File);

/// <summary>
/// Part files: JSON Lines, written append-only as results are computed. Line 1 is the <see cref="PartHeader"/>; then,
/// per image, one line per (class, method) trial (<see cref="PartRecord"/>), one line per method with the image's class
/// sensitivity when it was asked (<see cref="PartSensitivity"/>), and a closing line <c>{"done":ID,"index":I,"records":N}</c>
/// (N counts both kinds of line). An image's lines go out in one write, flushed to disk; lines after the last
/// "done" (a run killed mid-write) are not part of the results: readers ignore them, <c>--resume</c> cuts them off and
/// computes that image again.
/// </summary>
public static class PartFile
{
    public static PartContent Read(string path)
    {
        if (!File.Exists(path)) throw new DatasetException(path, "part file not found");
        var bytes = File.ReadAllBytes(path);
        var text = Encoding.UTF8.GetString(bytes);
        var blocks = new List<PartBlock>();
        var pending = new List<PartRecord>();
        var pendingSensitivities = new List<PartSensitivity>();
        PartHeader? header = null;
        long offset = 0, complete = 0;
        int lineNumber = 0, incomplete = 0;
        int start = 0;
        while (start < text.Length)
        {
            int end = text.IndexOf('\n', start);
            bool terminated = end >= 0;
            if (!terminated) end = text.Length;
            var line = text[start..end];
            offset += Encoding.UTF8.GetByteCount(line) + (terminated ? 1 : 0);
            start = end + 1;
            lineNumber++;
            if (header is null)
            {
                if (!terminated) throw new DatasetException(path, "the header line is incomplete");
                header = PartHeader.Parse(line, path);
                complete = offset;
                continue;
            }
            if (!terminated) { incomplete++; break; } // a line cut off by a kill
            JsonObject o;
            try { o = JsonNode.Parse(line)?.AsObject() ?? throw new JsonException("empty"); }
            catch (JsonException e) { throw new DatasetException(path, $"line {lineNumber} is not JSON: {e.Message}", e); }
            try
            {
                if (o["done"] is JsonNode done)
                {
                    int index = o["index"]!.GetValue<int>();
                    int records = o["records"]!.GetValue<int>();
                    var image = done.GetValue<string>();
                    int lines = pending.Count + pendingSensitivities.Count;
                    if (lines != records || pending.Any(r => r.Index != index) || pendingSensitivities.Any(r => r.Index != index))
                        throw new DatasetException(path, $"line {lineNumber}: image {image} closes with {records} records but {lines} precede it");
                    blocks.Add(new PartBlock(index, image, pending.ToArray(), path) { Sensitivities = pendingSensitivities.ToArray() });
                    pending.Clear();
                    pendingSensitivities.Clear();
                    complete = offset;
                }
                else if (o.ContainsKey("sensitivity")) // a class-sensitivity line (its value may be null)
                    pendingSensitivities.Add(new PartSensitivity(o["index"]!.GetValue<int>(), o["image"]!.GetValue<string>(), o["method"]!.GetValue<string>(),
                        o["most"]!.GetValue<int>(), o["least"]!.GetValue<int>(), Number(o["sensitivity"])));
                else
                    pending.Add(new PartRecord(o["index"]!.GetValue<int>(), o["image"]!.GetValue<string>(), o["method"]!.GetValue<string>(),
                        o["class"]!.GetValue<int>(), o["hit"]!.GetValue<bool>(), o["difficult"]?.GetValue<bool>(),
                        Number(o["energy"]), Number(o["deletion"]), Number(o["insertion"])));
            }
            catch (Exception e) when (e is InvalidOperationException or NullReferenceException or FormatException)
            {
                throw new DatasetException(path, $"line {lineNumber} is not a part record: {e.Message}", e);
            }
        }
        if (header is null) throw new DatasetException(path, "the part file is empty (no header line)");
        return new PartContent(header, blocks, complete, incomplete + pending.Count + pendingSensitivities.Count, path);
    }

    /// <summary>A number field; null or absent (not computed, or a part written before the field existed) is NaN.</summary>
    static double Number(JsonNode? node) => node is null ? double.NaN : node.GetValue<double>();
}

/// <summary>Appends image blocks to a part file (creating it with its header, or resuming it).</summary>
public sealed class PartWriter : IDisposable
{
    readonly FileStream _stream;

    PartWriter(FileStream stream, string path, IReadOnlySet<int> done)
    {
        _stream = stream;
        Path = path;
        Done = done;
    }

    public string Path { get; }

    /// <summary>Image indices already complete in the file (resume skips them).</summary>
    public IReadOnlySet<int> Done { get; }

    /// <summary>
    /// Opens <paramref name="path"/>: a new file gets <paramref name="header"/>; an existing one is refused unless
    /// <paramref name="resume"/>, and then its header must match (all but the shard) and an incomplete tail is cut off.
    /// </summary>
    public static PartWriter Open(string path, PartHeader header, bool resume)
    {
        var exists = File.Exists(path) && new FileInfo(path).Length > 0;
        if (exists && !resume) throw new TsgbStateException($"{path} exists: give --resume to continue it, or remove it");
        if (!exists)
        {
            var dir = System.IO.Path.GetDirectoryName(System.IO.Path.GetFullPath(path));
            if (dir is not null) Directory.CreateDirectory(dir);
            var created = new FileStream(path, FileMode.Create, FileAccess.Write, FileShare.Read);
            var bytes = Encoding.UTF8.GetBytes(header.ToJson() + "\n");
            created.Write(bytes);
            created.Flush(flushToDisk: true);
            return new PartWriter(created, path, new HashSet<int>());
        }
        var content = PartFile.Read(path);
        if (content.Header.Difference(header) is string difference)
            throw new DatasetException(path, $"cannot resume: this part was written by another run ({difference})");
        if (content.Header.Shard != header.Shard)
            throw new DatasetException(path, $"cannot resume: this part is shard {content.Header.Shard}, not {header.Shard}");
        var stream = new FileStream(path, FileMode.Open, FileAccess.Write, FileShare.Read);
        stream.SetLength(content.CompleteLength); // drop the lines of an image that was cut off
        stream.Seek(0, SeekOrigin.End);
        return new PartWriter(stream, path, content.Blocks.Select(b => b.Index).ToHashSet());
    }

    /// <summary>
    /// Writes one image's records and its closing line in one write, handed to the OS at once: a killed or crashed
    /// process loses nothing written. No fsync per image (it cost small models several % of the run); after a
    /// machine crash, --resume drops any torn tail and recomputes those images.
    /// </summary>
    public void WriteImage(int index, string image, IReadOnlyList<PartRecord> records, IReadOnlyList<PartSensitivity>? sensitivities = null)
    {
        sensitivities ??= [];
        var sb = new StringBuilder();
        foreach (var r in records) sb.Append(r.ToJson()).Append('\n');
        foreach (var s in sensitivities) sb.Append(s.ToJson()).Append('\n');
        sb.Append("{\"done\":").Append(JsonSerializer.Serialize(image)).Append(",\"index\":").Append(index.ToString(CultureInfo.InvariantCulture))
          .Append(",\"records\":").Append((records.Count + sensitivities.Count).ToString(CultureInfo.InvariantCulture)).Append("}\n");
        _stream.Write(Encoding.UTF8.GetBytes(sb.ToString()));
        _stream.Flush(flushToDisk: false);
    }

    public void Dispose() => _stream.Dispose();
}
