using TsgbKit.Errors;
namespace TsgbKit.Weights;

/// <summary>
/// The one error raised for an unreadable, malformed or mismatching weights file.
/// <see cref="Exception.Message"/> always names the file and, where one is concerned, the tensor key.
/// </summary>
public sealed class WeightsException : Exception, IUserError
{
    public WeightsException(string path, string? key, string detail, Exception? inner = null)
        : base(Compose(path, key, detail), inner)
    {
        FilePath = path;
        Key = key;
        Detail = detail;
    }

    /// <summary>The weights file concerned.</summary>
    public string FilePath { get; }

    /// <summary>The tensor key concerned, or null where the problem is with the file as a whole.</summary>
    public string? Key { get; }

    /// <summary>What is wrong, without the file and key.</summary>
    public string Detail { get; }

    static string Compose(string path, string? key, string detail) =>
        key is null ? $"Weights file '{path}': {detail}" : $"Weights file '{path}', tensor '{key}': {detail}";
}
