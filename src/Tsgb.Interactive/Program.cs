using System.CommandLine;
using TsgbKit.Interactive.Cli;

// `tsgb`: one command grammar, shared with the #!tsgb notebook magics (see Cli/TsgbCommands.cs).
return await TsgbCommands.Root().Parse(args).InvokeAsync();
