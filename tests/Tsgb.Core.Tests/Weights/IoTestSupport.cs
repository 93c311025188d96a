using System.Text;

namespace TsgbKit.Tests.Weights;

/// <summary>A temporary folder removed on dispose, and the committed fixtures under fixtures/io.</summary>
public sealed class TempFolder : IDisposable
{
    public TempFolder()
    {
        Path = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "tsgb-io-tests-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(Path);
    }

    public string Path { get; }

    public string File(string name) => System.IO.Path.Combine(Path, name);

    public void Dispose()
    {
        try { Directory.Delete(Path, recursive: true); }
        catch (IOException) { }
    }
}

public static class Fixtures
{
    public static string Io(string name)
    {
        var path = Path.Combine(AppContext.BaseDirectory, "fixtures", "io", name);
        Assert.True(File.Exists(path), $"fixture {path} is missing (tests/fixtures/io/make_fixtures.py writes it)");
        return path;
    }

    /// <summary>A checkpoint written by PyTorch 1.13 (tests/python/make_pth_fixtures.py), under fixtures/pytorch.</summary>
    public static string PyTorch(string name)
    {
        var path = Path.Combine(AppContext.BaseDirectory, "fixtures", "pytorch", name);
        Assert.True(File.Exists(path), $"fixture {path} is missing (tests/python/make_pth_fixtures.py writes it)");
        return path;
    }

    /// <summary>Writes a safetensors file with a hand-made header and data (for the corrupt-file cases).</summary>
    public static void WriteRawSafeTensors(string path, string headerJson, byte[] data, ulong? declaredLength = null)
    {
        var header = Encoding.UTF8.GetBytes(headerJson);
        using var stream = File.Create(path);
        stream.Write(BitConverter.GetBytes(declaredLength ?? (ulong)header.Length));
        stream.Write(header);
        stream.Write(data);
    }
}
