using System.IO.Compression;
using System.Runtime.InteropServices;
using TorchSharp;
using static TorchSharp.torch;

namespace TsgbKit.Tests.Weights;

/// <summary>
/// Writes tensors in the layout torch.save uses since PyTorch 1.6 (zip: ARCHIVE/data.pkl, ARCHIVE/data/N,
/// ARCHIVE/version), for tests that need a checkpoint of a Tsgb architecture without Python. PyTorch 1.13's
/// torch.load reads its files (checked once by hand); the parity tests use files written by PyTorch itself.
/// </summary>
public static class TorchSaveWriter
{
    /// <param name="nestUnder">null: the state dict is the file; otherwise {'epoch': 1, nestUnder: state dict}</param>
    /// <param name="prefix">put before every key, e.g. "module." as DataParallel does</param>
    public static void Write(string path, IEnumerable<KeyValuePair<string, Tensor>> tensors, string? nestUnder = null, string prefix = "")
    {
        var list = tensors.ToList();
        var pickle = new PickleBuilder().Proto();
        if (nestUnder is not null) pickle.EmptyDict().Mark().Str("epoch").Int(1).Str(nestUnder);
        pickle.Global("collections", "OrderedDict").EmptyTuple().Reduce().Mark();
        for (int i = 0; i < list.Count; i++)
        {
            var (name, tensor) = list[i];
            var storageClass = tensor.dtype == ScalarType.Int64 ? "LongStorage" : "FloatStorage";
            var strides = ContiguousStrides(tensor.shape);
            pickle.Str(prefix + name).Tensor(storageClass, i.ToString(), tensor.numel(), 0, tensor.shape, strides);
        }
        pickle.SetItems();
        if (nestUnder is not null) pickle.SetItems();
        pickle.Stop();

        using var zip = ZipFile.Open(path, ZipArchiveMode.Create);
        Add(zip, "archive/data.pkl", pickle.ToArray());
        for (int i = 0; i < list.Count; i++) Add(zip, $"archive/data/{i}", Bytes(list[i].Value));
        Add(zip, "archive/version", "3\n"u8.ToArray());
    }

    static long[] ContiguousStrides(long[] shape)
    {
        var strides = new long[shape.Length];
        long step = 1;
        for (int d = shape.Length - 1; d >= 0; d--)
        {
            strides[d] = step;
            step *= shape[d];
        }
        return strides;
    }

    static byte[] Bytes(Tensor tensor) => tensor.dtype == ScalarType.Int64
        ? MemoryMarshal.AsBytes(tensor.contiguous().data<long>().ToArray().AsSpan()).ToArray()
        : MemoryMarshal.AsBytes(tensor.to_type(ScalarType.Float32).contiguous().data<float>().ToArray().AsSpan()).ToArray();

    /// <summary>Adds a stored (uncompressed) record, as PyTorch writes them.</summary>
    public static void Add(ZipArchive zip, string name, byte[] bytes)
    {
        using var stream = zip.CreateEntry(name, CompressionLevel.NoCompression).Open();
        stream.Write(bytes);
    }

    /// <summary>A zip checkpoint with a hand-written data.pkl and the given storages (data/KEY).</summary>
    public static void WriteRaw(string path, byte[] pickle, params (string Key, byte[] Bytes)[] storages)
    {
        using var zip = ZipFile.Open(path, ZipArchiveMode.Create);
        Add(zip, "archive/data.pkl", pickle);
        foreach (var (key, bytes) in storages) Add(zip, $"archive/data/{key}", bytes);
        Add(zip, "archive/version", "3\n"u8.ToArray());
    }
}
