using System.CommandLine;
using TsgbKit.Interactive.Cli;
using TsgbKit.Interactive.Kernel;
using TsgbKit.Jupyter.KernelSpecs;
using TsgbKit.Errors;

namespace TsgbKit.Interactive.Commands;

/// <summary>
/// `tsgb kernel install|uninstall|list|start`: the Jupyter kernel "C# (Tsgb)". `start` is what the installed
/// kernelspec's argv runs; the others manage kernelspecs the way `jupyter kernelspec` does.
/// </summary>
internal static class KernelCommand
{
    public static Command Create()
    {
        var command = new Command("kernel", "The Jupyter kernel \"C# (Tsgb)\": install it, list kernelspecs, or start it.")
        {
            Install(), Uninstall(), List(), Start(),
        };
        return command;
    }

    /// <summary>--user, --prefix DIR or --sys-prefix: where a kernelspec goes (the user's by default).</summary>
    private sealed class LocationOptions
    {
        public Option<bool> User { get; } = new("--user") { Description = "the user's Jupyter data folder (the default)" };
        public Option<DirectoryInfo?> Prefix { get; } = new("--prefix") { Description = "an environment prefix: PREFIX/share/jupyter/kernels" };
        public Option<bool> SysPrefix { get; } = new("--sys-prefix") { Description = "sys.prefix of the Python that runs Jupyter" };

        public IEnumerable<Option> All => [User, Prefix, SysPrefix];

        /// <summary>The chosen location, or null when none was given.</summary>
        public KernelSpecLocation? Resolve(ParseResult parse)
        {
            var user = parse.GetValue(User);
            var prefix = parse.GetValue(Prefix);
            var sysPrefix = parse.GetValue(SysPrefix);
            if ((user ? 1 : 0) + (prefix is null ? 0 : 1) + (sysPrefix ? 1 : 0) > 1)
                throw new TsgbInputException("give only one of --user, --prefix DIR and --sys-prefix");
            if (prefix is not null) return KernelSpecLocation.Prefix(prefix.FullName);
            if (sysPrefix)
                return KernelSpecLocation.Prefix(PythonPrefix.Find() ?? throw new TsgbStateException(
                    "--sys-prefix: no Python with jupyter_client found (set TSGB_PYTHON to its python3)"));
            return user ? KernelSpecLocation.User() : null;
        }
    }

    /// <summary>The protocol layer's check of a kernel name, as the user's error it is here.</summary>
    private static string CheckedName(string name)
    {
        try { return KernelSpecStore.NormalizeName(name); }
        catch (ArgumentException e) { throw new TsgbInputException($"--name: {e.Message.Split(" (Parameter")[0]}"); }
    }

    private static Option<string> NameOption() => new("--name") { Description = "kernelspec name", DefaultValueFactory = _ => KernelIdentity.Name };

    private static Command Install()
    {
        var location = new LocationOptions();
        var name = NameOption();
        var displayName = new Option<string>("--display-name") { Description = "name shown by frontends", DefaultValueFactory = _ => KernelIdentity.DisplayName };
        var allowTemporary = new Option<bool>("--allow-temporary")
        {
            Description = "install even when tsgb itself lies in a temporary folder (the kernel stops working when that is cleaned)",
        };
        var command = new Command("install", "Install the kernelspec that starts this installation of tsgb.") { name, displayName, allowTemporary };
        foreach (var option in location.All) command.Options.Add(option);
        command.SetAction(parse => UserErrors.Run(() =>
        {
            var where = location.Resolve(parse) ?? KernelSpecLocation.User();
            var folder = KernelInstaller.Install(where, CheckedName(parse.GetValue(name)!), parse.GetValue(displayName)!, parse.GetValue(allowTemporary));
            var argv = KernelLauncher.Argv();
            Console.WriteLine($"Installed kernelspec {Path.GetFileName(folder)} in {folder}");
            Console.WriteLine($"  argv: {string.Join(" ", argv)}");
            if (LauncherLocation.BuildOutput(argv) is { } build)
                Console.WriteLine($"  note: it starts the build output {build}; `dotnet clean` or moving the clone stops it " +
                    "(a kernel installed from the tsgb tool, `dotnet tool install -g tsgb`, does not)");
            return 0;
        }));
        return command;
    }

    private static Command Uninstall()
    {
        var location = new LocationOptions();
        var name = NameOption();
        var command = new Command("uninstall", "Remove a kernelspec (by default the one Jupyter would find first).") { name };
        foreach (var option in location.All) command.Options.Add(option);
        command.SetAction(parse => UserErrors.Run(() =>
        {
            var kernel = CheckedName(parse.GetValue(name)!);
            var removed = KernelSpecStore.Uninstall(kernel, location.Resolve(parse), Prefixes());
            if (removed is null) throw new TsgbInputException($"no kernelspec named '{kernel}' found");
            Console.WriteLine($"Removed {removed}");
            return 0;
        }));
        return command;
    }

    private static Command List()
    {
        var command = new Command("list", "List the kernelspecs Jupyter can find.");
        command.SetAction(_ =>
        {
            var specs = KernelSpecStore.List(Prefixes());
            if (specs.Count == 0) Console.WriteLine("No kernelspecs found.");
            var width = specs.Count == 0 ? 0 : specs.Max(s => s.Name.Length) + 2;
            foreach (var spec in specs) Console.WriteLine($"{spec.Name.PadRight(width)}{spec.Directory}");
            return 0;
        });
        return command;
    }

    private static int RunKernel(FileInfo path) => UserErrors.Run(() =>
    {
        if (!path.Exists) throw new FileNotFoundException($"connection file not found: {path.FullName}", path.FullName);
        KernelHost.RunAsync(path.FullName).GetAwaiter().GetResult();
        return 0;
    });

    /// <summary>
    /// `tsgb kernel start FILE` exactly (no options): runs the kernel without building the command grammar, as the
    /// grammar's `kernel start` would. False for anything else.
    /// </summary>
    public static bool TryStartDirectly(string[] args, out int exitCode)
    {
        exitCode = 0;
        if (args is not ["kernel", "start", var file] || file.StartsWith('-') || file.Length == 0) return false;
        exitCode = RunKernel(new FileInfo(file));
        return true;
    }

    private static Command Start()
    {
        var file = new Argument<FileInfo>("connection-file") { Description = "the connection file Jupyter writes" };
        var command = new Command("start", "Run the kernel (what the kernelspec's argv runs).") { file };
        // Synchronous on purpose: System.CommandLine then installs no SIGINT/SIGTERM handler of its own, and
        // SIGINT stays the kernel's (an interrupt of the running cell).
        command.SetAction(parse => RunKernel(parse.GetValue(file)!));
        return command;
    }

    /// <summary>sys.prefix of Jupyter's Python is in Jupyter's search path; without one, only JUPYTER_PATH, user and system.</summary>
    private static IEnumerable<string> Prefixes() => PythonPrefix.Find() is { } prefix ? [prefix] : [];
}
