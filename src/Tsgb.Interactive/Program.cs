using System.CommandLine;
using TsgbKit.Interactive.Commands;

// `tsgb`: one command grammar, shared with the #!tsgb notebook magics (see Commands/TsgbCommands.cs).
return await TsgbCommands.Create(new ConsoleSurface()).Parse(args).InvokeAsync();
