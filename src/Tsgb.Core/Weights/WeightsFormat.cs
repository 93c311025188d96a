using System.Text;

namespace TsgbKit.Weights;

/// <summary>The weights file formats Tsgb reads, told apart by their first bytes, never by the file's extension.</summary>
public enum WeightsFormat
{
    /// <summary>safetensors: an 8-byte little-endian header length, then a JSON header starting with '{'.</summary>
    SafeTensors,

    /// <summary>torch.save since PyTorch 1.6: a zip archive ("PK") holding data.pkl and one record per storage.</summary>
    PyTorchZip,

    /// <summary>torch.save before PyTorch 1.6 (or with _use_new_zipfile_serialization=False): pickles, then raw storages.</summary>
    PyTorchLegacy,
}

/// <summary>Recognises a <see cref="WeightsFormat"/> from a file's first bytes.</summary>
public static class WeightsFormats
{
    /// <summary>The format of <paramref name="path"/>; a <see cref="WeightsException"/> for anything else.</summary>
    public static WeightsFormat Detect(string path)
    {
        using var stream = SafeTensors.OpenRead(path);
        return Detect(stream, path);
    }

    internal static WeightsFormat Detect(FileStream stream, string path)
    {
        Span<byte> head = stackalloc byte[512];
        int n = 0;
        while (n < head.Length && stream.Read(head[n..]) is var read and > 0) n += read;
        head = head[..n];
        stream.Position = 0;

        if (n >= 2 && head[0] == (byte)'P' && head[1] == (byte)'K') return WeightsFormat.PyTorchZip;
        if (n >= 2 && head[0] == 0x80 && head[1] is >= 2 and <= 5) return WeightsFormat.PyTorchLegacy; // a pickle's PROTO opcode
        if (n >= 9 && head[8] == (byte)'{') return WeightsFormat.SafeTensors;
        if (n >= 262 && head[257..262].SequenceEqual("ustar"u8))
            throw new WeightsException(path, null,
                "is a tar archive: PyTorch's oldest checkpoint format (before 0.4), which Tsgb does not read; load it in PyTorch and save it again with torch.save(model.state_dict(), path)");
        if (n == 0) throw new WeightsException(path, null, "is empty: neither safetensors nor a PyTorch checkpoint");
        if (n < 9)
            throw new WeightsException(path, null, $"has only {n} bytes: neither safetensors nor a PyTorch checkpoint (truncated?)");
        throw new WeightsException(path, null, $"is neither safetensors nor a PyTorch checkpoint: it starts with {Preview(head)}");
    }

    /// <summary>The first bytes as text when they are text (an HTML page saved by a failed download), else in hex.</summary>
    static string Preview(ReadOnlySpan<byte> head)
    {
        var start = head[..Math.Min(head.Length, 24)];
        bool text = true;
        foreach (var b in start) text &= b is >= 0x20 and < 0x7f or (byte)'\n' or (byte)'\r' or (byte)'\t';
        if (text)
        {
            var shown = Encoding.ASCII.GetString(start).ReplaceLineEndings(" ").Trim();
            return $"the text \"{shown}\"" + (shown.StartsWith('<') ? " (a web page saved in place of the download?)" : "");
        }
        return "the bytes " + Convert.ToHexString(head[..Math.Min(head.Length, 8)]).ToLowerInvariant();
    }
}
