using System.CommandLine;
using TsgbKit.Interactive.Commands;
using TsgbKit.Native;

// `tsgb`: one command grammar, shared with the #!tsgb notebook magics (see Commands/TsgbCommands.cs).
var parse = TsgbCommands.Create(new ConsoleSurface()).Parse(args);
if (parse.GetValue(TsgbCommands.Verbose))
{
    try { TorchNative.EnsureLoaded(); }
    catch (Exception) { /* the command reports it as its error */ }
    Console.Error.WriteLine($"tsgb: {TorchBackend.Summary}");
}
return await parse.InvokeAsync();
