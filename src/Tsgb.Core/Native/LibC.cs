using System.Runtime.InteropServices;

namespace TsgbKit.Native;

/// <summary>
/// The C library's environment and version. .NET's Environment.SetEnvironmentVariable does not reach the native
/// environment on Linux, and oneDNN reads its settings (DNNL_MAX_CPU_ISA) from there, at its first use.
/// </summary>
public static class LibC
{
    [DllImport("libc", EntryPoint = "setenv", SetLastError = true)]
    static extern int SetEnv([MarshalAs(UnmanagedType.LPUTF8Str)] string name, [MarshalAs(UnmanagedType.LPUTF8Str)] string value, int overwrite);

    [DllImport("libc", EntryPoint = "getenv")]
    static extern IntPtr GetEnv([MarshalAs(UnmanagedType.LPUTF8Str)] string name);

    [DllImport("libc", EntryPoint = "gnu_get_libc_version")]
    static extern IntPtr GnuGetLibcVersion();

    [DllImport("libc", EntryPoint = "sysconf")]
    static extern long SysConf(int name);

    /// <summary>sysconf(name), e.g. 194 = _SC_LEVEL3_CACHE_SIZE on glibc; -1 where unknown.</summary>
    public static long SystemConfiguration(int name) => SysConf(name);

    internal static void SetEnvironmentVariable(string name, string value)
    {
        if (SetEnv(name, value, 1) != 0)
            throw new InvalidOperationException($"setenv({name}) failed: errno {Marshal.GetLastPInvokeError()}");
    }

    public static string? GetEnvironmentVariable(string name) => Marshal.PtrToStringUTF8(GetEnv(name));

    public static string? GlibcVersion()
    {
        try { return Marshal.PtrToStringUTF8(GnuGetLibcVersion()); }
        catch (EntryPointNotFoundException) { return null; } // musl
    }
}
