using TorchSharp;
using TsgbKit.Weights;
using static TorchSharp.torch;

namespace TsgbKit.Tests.Weights;

public class SafeTensorsTests
{
    static Dictionary<string, Tensor> Sample()
    {
        var generator = new torch.Generator(7);
        return new Dictionary<string, Tensor>
        {
            ["features.0.weight"] = randn([8, 3, 3, 3], generator: generator) * 3,
            ["features.0.bias"] = randn([8], generator: generator),
            ["features.1.running_var"] = rand([8], generator: generator) + 0.5f,
            ["features.1.num_batches_tracked"] = tensor(123L),
            ["scalar"] = tensor(-0.75f),
            ["empty"] = zeros([0, 4]),
        };
    }

    [Theory]
    [InlineData(SafeTensorsDType.F32, 0.0)]
    [InlineData(SafeTensorsDType.F16, 1.0 / 1024)] // 10 mantissa bits: relative error at most 2^-11
    [InlineData(SafeTensorsDType.BF16, 1.0 / 128)] // 7 mantissa bits: relative error at most 2^-8
    public void RoundTripKeepsValuesWithinTheDTypePrecision(SafeTensorsDType dtype, double relative)
    {
        using var scope = NewDisposeScope();
        using var folder = new TempFolder();
        var path = folder.File("w.safetensors");
        var sample = Sample();
        var metadata = new Dictionary<string, string> { ["format"] = "pt", ["note"] = "ünïcode ✓" };

        SafeTensors.Write(path, sample, dtype, metadata);
        using var read = SafeTensors.Read(path);

        Assert.Equal(sample.Keys.OrderBy(k => k, StringComparer.Ordinal), read.Keys.OrderBy(k => k, StringComparer.Ordinal));
        Assert.Equal(metadata, read.Metadata);
        foreach (var (key, expected) in sample)
        {
            var actual = read[key];
            Assert.Equal(expected.shape, actual.shape);
            if (expected.dtype == ScalarType.Int64)
            {
                Assert.Equal(ScalarType.Int64, actual.dtype);
                Assert.Equal(expected.data<long>().ToArray(), actual.data<long>().ToArray());
                Assert.Equal(SafeTensorsDType.I64, read.Header[key].DType);
                continue;
            }
            Assert.Equal(ScalarType.Float32, actual.dtype);
            Assert.Equal(dtype, read.Header[key].DType);
            if (expected.numel() == 0) continue; // shape compared above; TorchSharp's accessor cannot copy empty tensors
            var e = expected.data<float>().ToArray();
            var a = actual.data<float>().ToArray();
            for (int i = 0; i < e.Length; i++)
                Assert.True(Math.Abs(e[i] - a[i]) <= relative * Math.Abs(e[i]) + 1e-30,
                    $"{key}[{i}]: wrote {e[i]}, read {a[i]} ({dtype})");
        }
        // the file holds exactly 8 + header + elements × size bytes
        long elements = sample.Values.Where(t => t.dtype != ScalarType.Int64).Sum(t => t.numel());
        long expectedLength = 8 + (read.Header.DataStart - 8) + elements * dtype.Size() + 8;
        Assert.Equal(expectedLength, new FileInfo(path).Length);
        Assert.Equal(0, read.Header.DataStart % 8);
    }

    [Fact]
    public void ReadsAFileWrittenByAnIndependentPythonWriter()
    {
        using var read = SafeTensors.Read(Fixtures.Io("reference.safetensors"));

        Assert.Equal(5, read.Count);
        Assert.Equal("pt", read.Metadata["format"]);
        Assert.Equal("make_fixtures.py", read.Metadata["source"]);
        Assert.Equal(new long[] { 2, 3 }, read["features.0.weight"].shape);
        Assert.Equal(new float[] { -1, -0.5f, 0, 0.5f, 1, 1.5f }, read["features.0.weight"].data<float>().ToArray());
        Assert.Equal(new float[] { 0.5f, -1.25f }, read["features.0.bias"].data<float>().ToArray());
        Assert.Equal(SafeTensorsDType.F16, read.Header["features.0.bias"].DType);
        Assert.Equal(new float[] { 1, -2, 0.15625f }, read["head.weight"].data<float>().ToArray());
        Assert.Equal(SafeTensorsDType.BF16, read.Header["head.weight"].DType);
        var counter = read["bn.num_batches_tracked"];
        Assert.Empty(counter.shape);
        Assert.Equal(ScalarType.Int64, counter.dtype);
        Assert.Equal(7L, counter.item<long>());
        Assert.Equal(ScalarType.Int32, read["counts"].dtype);
        Assert.Equal(new[] { 3, -4 }, read["counts"].data<int>().ToArray());
        // tensors are listed in data order, which here differs from name order
        Assert.Equal(new[] { "features.0.weight", "features.0.bias", "head.weight", "bn.num_batches_tracked", "counts" },
            read.Header.Tensors.Select(t => t.Name));
    }

    [Fact]
    public void MissingFileIsOneClearError()
    {
        using var folder = new TempFolder();
        var path = folder.File("absent.safetensors");
        var error = Assert.Throws<WeightsException>(() => SafeTensors.Read(path));
        Assert.Contains(path, error.Message);
        Assert.Contains("not found", error.Message);
    }

    [Fact]
    public void TruncatedDataNamesTheFileAndTheTensorThatRunsPastTheEnd()
    {
        using var scope = NewDisposeScope();
        using var folder = new TempFolder();
        var path = folder.File("cut.safetensors");
        SafeTensors.Write(path, new Dictionary<string, Tensor> { ["a"] = ones(4), ["z.last"] = ones(4) });
        var bytes = File.ReadAllBytes(path);
        File.WriteAllBytes(path, bytes[..^3]);

        var error = Assert.Throws<WeightsException>(() => SafeTensors.Read(path));
        Assert.Contains(path, error.Message);
        Assert.Contains("'z.last'", error.Message);
        Assert.Contains("beyond", error.Message);
        Assert.Equal("z.last", error.Key);
    }

    [Fact]
    public void HeaderLongerThanTheFileIsReportedAsTruncated()
    {
        using var folder = new TempFolder();
        var path = folder.File("short.safetensors");
        Fixtures.WriteRawSafeTensors(path, "{}", [], declaredLength: 4096);
        var error = Assert.Throws<WeightsException>(() => SafeTensors.Read(path));
        Assert.Contains(path, error.Message);
        Assert.Contains("truncated", error.Message);

        File.WriteAllBytes(path, [1, 2, 3]);
        error = Assert.Throws<WeightsException>(() => SafeTensors.Read(path));
        Assert.Contains("truncated", error.Message);
    }

    [Fact]
    public void BadJsonIsOneClearError()
    {
        using var folder = new TempFolder();
        var path = folder.File("bad.safetensors");
        Fixtures.WriteRawSafeTensors(path, "{\"w\": {\"dtype\": \"F32\", \"shape\": [1], \"data_offsets\": [0, 4]", new byte[4]);
        var error = Assert.Throws<WeightsException>(() => SafeTensors.Read(path));
        Assert.Contains(path, error.Message);
        Assert.Contains("JSON", error.Message);
    }

    [Fact]
    public void UnknownDTypeNamesTheFileTheKeyAndTheType()
    {
        using var folder = new TempFolder();
        var path = folder.File("fp8.safetensors");
        Fixtures.WriteRawSafeTensors(path, "{\"layer.weight\": {\"dtype\": \"F8_E4M3\", \"shape\": [4], \"data_offsets\": [0, 4]}}", new byte[4]);
        var error = Assert.Throws<WeightsException>(() => SafeTensors.Read(path));
        Assert.Contains(path, error.Message);
        Assert.Contains("'layer.weight'", error.Message);
        Assert.Contains("F8_E4M3", error.Message);
    }

    [Fact]
    public void OffsetsThatDoNotMatchShapeTimesDTypeSizeAreRefused()
    {
        using var folder = new TempFolder();
        var path = folder.File("size.safetensors");
        Fixtures.WriteRawSafeTensors(path, "{\"conv.bias\": {\"dtype\": \"F32\", \"shape\": [2, 2], \"data_offsets\": [0, 12]}}", new byte[12]);
        var error = Assert.Throws<WeightsException>(() => SafeTensors.Read(path));
        Assert.Contains(path, error.Message);
        Assert.Contains("'conv.bias'", error.Message);
        Assert.Contains("needs 16", error.Message);
    }

    [Fact]
    public void OverlappingOffsetsNameBothTensors()
    {
        using var folder = new TempFolder();
        var path = folder.File("overlap.safetensors");
        Fixtures.WriteRawSafeTensors(path,
            "{\"a\": {\"dtype\": \"F32\", \"shape\": [2], \"data_offsets\": [0, 8]}, \"b\": {\"dtype\": \"F32\", \"shape\": [2], \"data_offsets\": [4, 12]}}",
            new byte[12]);
        var error = Assert.Throws<WeightsException>(() => SafeTensors.Read(path));
        Assert.Contains(path, error.Message);
        Assert.Contains("'b'", error.Message);
        Assert.Contains("'a'", error.Message);
        Assert.Contains("overlap", error.Message);
    }

    [Fact]
    public void GapsAndTrailingBytesAreRefused()
    {
        using var folder = new TempFolder();
        var gap = folder.File("gap.safetensors");
        Fixtures.WriteRawSafeTensors(gap,
            "{\"a\": {\"dtype\": \"F32\", \"shape\": [1], \"data_offsets\": [0, 4]}, \"b\": {\"dtype\": \"F32\", \"shape\": [1], \"data_offsets\": [8, 12]}}",
            new byte[12]);
        Assert.Contains("gap", Assert.Throws<WeightsException>(() => SafeTensors.Read(gap)).Message);

        var trailing = folder.File("trailing.safetensors");
        Fixtures.WriteRawSafeTensors(trailing, "{\"a\": {\"dtype\": \"F32\", \"shape\": [1], \"data_offsets\": [0, 4]}}", new byte[9]);
        Assert.Contains("trailing", Assert.Throws<WeightsException>(() => SafeTensors.Read(trailing)).Message);
    }

    [Fact]
    public void WritingReplacesAnExistingFileAndLeavesNoTemporaryFiles()
    {
        using var scope = NewDisposeScope();
        using var folder = new TempFolder();
        var path = folder.File("w.safetensors");
        SafeTensors.Write(path, new Dictionary<string, Tensor> { ["x"] = ones(3) });
        SafeTensors.Write(path, new Dictionary<string, Tensor> { ["y"] = zeros(2) }, SafeTensorsDType.BF16);

        Assert.Equal(new[] { "w.safetensors" }, Directory.GetFiles(folder.Path).Select(Path.GetFileName));
        var header = SafeTensors.ReadHeader(path);
        Assert.Equal(new[] { "y" }, header.Names);
        Assert.Equal(SafeTensorsDType.BF16, header["y"].DType);
    }

    [Fact]
    public void TensorsComeBackOnTheRequestedDeviceAndSurviveTheCallersScope()
    {
        using var folder = new TempFolder();
        var path = folder.File("w.safetensors");
        using (var scope = NewDisposeScope())
            SafeTensors.Write(path, new Dictionary<string, Tensor> { ["x"] = arange(6, dtype: ScalarType.Float32) });

        SafeTensorsFile read;
        using (var scope = NewDisposeScope())
        {
            read = SafeTensors.Read(path, CPU);
            scope.MoveToOuter(read.Values);
        }
        using (read)
        {
            Assert.Equal(DeviceType.CPU, read["x"].device_type);
            Assert.Equal(15f, read["x"].sum().item<float>());
        }
    }
}
