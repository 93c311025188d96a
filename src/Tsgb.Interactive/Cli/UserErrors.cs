using TsgbKit.Imaging;
using TsgbKit.Labels;
using TsgbKit.Native;
using TsgbKit.Tensors;
using TsgbKit.Weights;

namespace TsgbKit.Interactive.Cli;

/// <summary>
/// Turns the errors a user can cause (a wrong file, key, shape, label, layer) into one line on stderr and a
/// non-zero exit, never a stack trace. Anything else is a bug and keeps its trace.
/// </summary>
internal static class UserErrors
{
    public static bool IsUserError(Exception e) => e is ArgumentException or WeightsException or LabelException
        or ImageLoadException or NpyException or TorchLoadException or TorchNumericsException or FileNotFoundException or DirectoryNotFoundException
        or NotSupportedException or InvalidDataException or UnauthorizedAccessException;

    public static int Run(Func<int> action)
    {
        try
        {
            return action();
        }
        catch (Exception e) when (IsUserError(e))
        {
            Console.Error.WriteLine($"error: {e.Message}");
            return 2;
        }
    }
}
