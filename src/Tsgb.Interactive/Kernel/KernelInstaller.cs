using System.Text.Json.Nodes;
using TsgbKit.Jupyter.KernelSpecs;

namespace TsgbKit.Interactive.Kernel;

/// <summary>Writes, lists and removes the kernelspec of this build.</summary>
public static class KernelInstaller
{
    /// <summary>The kernelspec that launches this build (see <see cref="KernelLauncher"/>).</summary>
    public static KernelSpec Spec(string displayName = KernelIdentity.DisplayName) =>
        new(KernelLauncher.Argv(), displayName, KernelIdentity.Language)
        {
            InterruptMode = "message",
            Metadata = new JsonObject { ["debugger"] = false },
        };

    /// <summary>Installs the kernelspec with its logos; returns the folder written.</summary>
    public static string Install(KernelSpecLocation location, string name = KernelIdentity.Name, string displayName = KernelIdentity.DisplayName) =>
        KernelSpecStore.Install(name, Spec(displayName), location, new KernelSpecLogos(KernelLogo.Png(32), KernelLogo.Png(64)));
}
