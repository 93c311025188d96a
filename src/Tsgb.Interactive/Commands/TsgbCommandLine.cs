using System.CommandLine;
using TsgbKit.Native;

namespace TsgbKit.Interactive.Commands;

/// <summary>`tsgb ARGS`: one command grammar, shared with the #!tsgb notebook magics (see <see cref="TsgbCommands"/>).</summary>
internal static class TsgbCommandLine
{
    public static async Task<int> RunAsync(string[] args)
    {
        var parse = TsgbCommands.Create(new ConsoleSurface()).Parse(args);
        if (parse.GetValue(TsgbCommands.Verbose))
        {
            try { TorchNative.EnsureLoaded(); }
            catch (Exception) { /* the command reports it as its error */ }
            Console.Error.WriteLine($"tsgb: {TorchBackend.Summary}");
        }
        return await parse.InvokeAsync();
    }
}
