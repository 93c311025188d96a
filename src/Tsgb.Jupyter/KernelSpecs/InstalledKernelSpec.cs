namespace TsgbKit.Jupyter.KernelSpecs;

/// <summary>A kernelspec found on disk: its name (the folder name), folder and parsed kernel.json.</summary>
public sealed record InstalledKernelSpec(string Name, string Directory, KernelSpec Spec);
