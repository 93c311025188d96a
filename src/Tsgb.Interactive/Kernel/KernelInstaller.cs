using System.Text.Json.Nodes;
using TsgbKit.Errors;
using TsgbKit.Jupyter.KernelSpecs;

namespace TsgbKit.Interactive.Kernel;

/// <summary>Writes, lists and removes the kernelspec of this installation.</summary>
public static class KernelInstaller
{
    /// <summary>The kernelspec that launches this installation (see <see cref="KernelLauncher"/>).</summary>
    public static KernelSpec Spec(string displayName = KernelIdentity.DisplayName)
    {
        var argv = KernelLauncher.Argv();
        return new(argv, displayName, KernelIdentity.Language)
        {
            InterruptMode = "message",
            Env = KernelLauncher.EnvironmentFor(argv),
            Metadata = new JsonObject { ["debugger"] = false },
        };
    }

    /// <summary>
    /// Installs the kernelspec with its logos; returns the folder written. Refuses (<see cref="TsgbInputException"/>)
    /// a spec whose executable lies in a temporary folder unless <paramref name="allowTemporary"/>.
    /// </summary>
    public static string Install(KernelSpecLocation location, string name = KernelIdentity.Name, string displayName = KernelIdentity.DisplayName,
        bool allowTemporary = false) =>
        Install(Spec(displayName), location, name, allowTemporary, LauncherLocation.TemporaryFolders());

    internal static string Install(KernelSpec spec, KernelSpecLocation location, string name, bool allowTemporary, IEnumerable<string> temporaryFolders)
    {
        if (!allowTemporary && LauncherLocation.InTemporaryFolder(spec.Argv, temporaryFolders) is { } temporary)
            throw new TsgbInputException(
                $"the kernel would start {temporary.File}, which lies in the temporary folder {temporary.Folder} and would stop working when " +
                "that is cleaned; install tsgb to stay (`dotnet tool install -g tsgb --add-source FOLDER`) and run " +
                "`tsgb kernel install` from there, or pass --allow-temporary for a throwaway kernel");
        return KernelSpecStore.Install(name, spec, location, new KernelSpecLogos(KernelLogo.Png(32), KernelLogo.Png(64)));
    }
}
