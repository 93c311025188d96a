namespace TsgbKit.Interactive.Kernel;

/// <summary>The names the kernel goes by, in kernel_info and in its kernelspec.</summary>
public static class KernelIdentity
{
    /// <summary>kernel_info's implementation, and the default kernelspec name.</summary>
    public const string Name = "tsgb-csharp";

    /// <summary>The name frontends show in their kernel pickers.</summary>
    public const string DisplayName = "C# (Tsgb)";

    public const string Language = "csharp";

    public static string Version { get; } =
        typeof(KernelIdentity).Assembly.GetName().Version?.ToString(3) ?? "1.0.0";
}
