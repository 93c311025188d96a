using TsgbKit.Errors;
using TsgbKit.Tests.Weights;
using TsgbKit.Tensors;
using static TorchSharp.torch;

namespace TsgbKit.Tests.Tensors;

public class NpyTests
{
    static readonly float[] Expected = Enumerable.Range(0, 24).Select(i => i / 8f - 1).ToArray();

    [Fact]
    public void TensorRoundTripIsExact()
    {
        using var scope = NewDisposeScope();
        using var folder = new TempFolder();
        var path = folder.File("t.npy");
        var original = randn(2, 3, 5) * 100;

        Npy.Write(path, original);
        var read = Npy.Read(path);

        Assert.Equal(original.shape, read.shape);
        Assert.Equal(ScalarType.Float32, read.dtype);
        Assert.Equal(original.data<float>().ToArray(), read.data<float>().ToArray());
    }

    [Fact]
    public void ArrayRoundTripKeepsShapeAndValues()
    {
        using var folder = new TempFolder();
        var path = folder.File("a.npy");
        var data = new[] { 1f, -2f, float.MaxValue, float.Epsilon, 0f, 3.25f };

        Npy.Write(path, data, 3, 2);
        var read = Npy.ReadArray(path);

        Assert.Equal(new long[] { 3, 2 }, read.Shape);
        Assert.Equal(data, read.Data);
    }

    [Fact]
    public void WritesTheSameBytesAsNumpy()
    {
        using var folder = new TempFolder();
        var path = folder.File("same.npy");
        Npy.Write(path, Expected, 2, 3, 4);
        Assert.Equal(File.ReadAllBytes(Fixtures.Io("reference_f4.npy")), File.ReadAllBytes(path));
    }

    [Theory]
    [InlineData("reference_f4.npy")]
    [InlineData("reference_f4_v2.npy")]
    [InlineData("reference_f4_v3.npy")]
    public void ReadsFloat32FilesWrittenByNumpyInEveryHeaderVersion(string name)
    {
        var path = Fixtures.Io(name);
        int version = File.ReadAllBytes(path)[6];
        Assert.Equal(name.Contains("_v") ? name[^5] - '0' : 1, version);

        var read = Npy.ReadArray(path);

        Assert.Equal(new long[] { 2, 3, 4 }, read.Shape);
        Assert.Equal(Expected, read.Data);
    }

    [Fact]
    public void ConvertsFloat64AndReadsScalars()
    {
        var f8 = Npy.ReadArray(Fixtures.Io("reference_f8.npy"));
        Assert.Equal(new long[] { 3 }, f8.Shape);
        Assert.Equal(new[] { 0.1f, -2.5f, 1e10f }, f8.Data);

        using var scope = NewDisposeScope();
        var scalar = Npy.Read(Fixtures.Io("scalar.npy"));
        Assert.Empty(scalar.shape);
        Assert.Equal(3.5f, scalar.item<float>());
    }

    [Fact]
    public void FortranOrderIsRefusedNamingTheFile()
    {
        var path = Fixtures.Io("fortran.npy");
        var error = Assert.Throws<NpyException>(() => Npy.ReadArray(path));
        Assert.Contains(path, error.Message);
        Assert.Contains("fortran_order", error.Message);
    }

    [Fact]
    public void OtherDTypesAreRefusedNamingTheFileAndTheType()
    {
        var path = Fixtures.Io("int32.npy");
        var error = Assert.Throws<NpyException>(() => Npy.ReadArray(path));
        Assert.Contains(path, error.Message);
        Assert.Contains("'<i4'", error.Message);
    }

    [Fact]
    public void MissingTruncatedAndForeignFilesAreOneClearError()
    {
        using var folder = new TempFolder();
        var missing = folder.File("missing.npy");
        Assert.Contains(missing, Assert.Throws<NpyException>(() => Npy.ReadArray(missing)).Message);

        var truncated = folder.File("truncated.npy");
        File.WriteAllBytes(truncated, File.ReadAllBytes(Fixtures.Io("reference_f4.npy"))[..^5]);
        var error = Assert.Throws<NpyException>(() => Npy.ReadArray(truncated));
        Assert.Contains(truncated, error.Message);
        Assert.Contains("truncated", error.Message);

        var foreign = folder.File("foreign.npy");
        File.WriteAllText(foreign, "just some text, no numpy");
        error = Assert.Throws<NpyException>(() => Npy.ReadArray(foreign));
        Assert.Contains(foreign, error.Message);
        Assert.Contains("magic", error.Message);
    }

    [Fact]
    public void HeaderParserAcceptsPythonVariants()
    {
        var (descr, fortran, shape) = Npy.ParseHeader("{\"descr\": \"<f4\", \"shape\": (7L,), \"fortran_order\": False}", "x");
        Assert.Equal("<f4", descr);
        Assert.False(fortran);
        Assert.Equal(new long[] { 7 }, shape);
        Assert.Throws<NpyException>(() => Npy.ParseHeader("{'descr': '<f4', 'shape': (2, 3)}", "x"));
    }

    [Fact]
    public void WriteRejectsAShapeThatDoesNotFitTheData()
    {
        using var folder = new TempFolder();
        Assert.Throws<TsgbInputException>(() => Npy.Write(folder.File("x.npy"), new float[5], 2, 3));
    }
}
