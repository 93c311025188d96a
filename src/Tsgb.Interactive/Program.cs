using TsgbKit.Interactive.Commands;
using TsgbKit.Interactive.Kernel;

StartupTimeline.Mark("main");
// `tsgb kernel start CONNECTION_FILE` (what a kernelspec runs) skips building the whole command grammar, and this
// method names no Tsgb.Core member: compiling it must not run Tsgb.Core's module initializer (which loads libtorch).
if (KernelCommand.TryStartDirectly(args, out var kernelExit)) return kernelExit;
return await TsgbCommandLine.RunAsync(args);
