using TsgbKit.Errors;

namespace TsgbKit.Datasets;

/// <summary>
/// Bad benchmark data: a missing image or annotation file, malformed XML or JSON, an unknown class, a box outside its
/// image, an empty split. The message names the file, so the CLI prints it as one line (exit code 2).
/// </summary>
public sealed class DatasetException : Exception, IUserError
{
    public DatasetException(string file, string detail, Exception? inner = null) : base($"{file}: {detail}", inner)
    {
        File = file;
        Detail = detail;
    }

    /// <summary>The file (or folder) concerned.</summary>
    public string File { get; }

    public string Detail { get; }
}
