namespace TsgbKit.Jupyter.KernelSpecs;

/// <summary>PNG logos shown by frontends, written as logo-32x32.png and logo-64x64.png next to kernel.json.</summary>
public sealed record KernelSpecLogos(byte[]? Logo32x32 = null, byte[]? Logo64x64 = null);
