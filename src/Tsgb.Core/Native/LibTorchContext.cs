using System.Runtime.InteropServices;

namespace TsgbKit.Native;

/// <summary>
/// The few switches of libtorch's global <c>at::Context</c> that TorchSharp 0.107 does not expose, called through
/// the C++ symbols <c>libtorch_cpu.so</c> exports (Itanium mangling; <c>this</c> is the first argument).
/// </summary>
public static unsafe class LibTorchContext
{
    const string Library = "libtorch_cpu.so";

    [DllImport(Library, EntryPoint = "_ZN2at13globalContextEv")]
    static extern IntPtr GlobalContext();

    [DllImport(Library, EntryPoint = "_ZNK2at7Context17userEnabledMkldnnEv")]
    [return: MarshalAs(UnmanagedType.U1)]
    static extern bool UserEnabledMkldnn(IntPtr context);

    [DllImport(Library, EntryPoint = "_ZN2at7Context20setUserEnabledMkldnnEb")]
    static extern void SetUserEnabledMkldnn(IntPtr context, [MarshalAs(UnmanagedType.U1)] bool enabled);

    [DllImport(Library, EntryPoint = "_ZNK2at7Context17userEnabledNNPACKEv")]
    [return: MarshalAs(UnmanagedType.U1)]
    static extern bool UserEnabledNnpack(IntPtr context);

    [DllImport(Library, EntryPoint = "_ZN2at7Context20setUserEnabledNNPACKEb")]
    static extern void SetUserEnabledNnpack(IntPtr context, [MarshalAs(UnmanagedType.U1)] bool enabled);

    // NNPACK's own initialiser: idempotent, and silent (ATen prints its warning around it, per convolution).
    [DllImport(Library, EntryPoint = "nnp_initialize")]
    static extern int NnpInitialize();

    // std::string-returning functions: the string comes back through a hidden pointer to 32 bytes (libstdc++'s layout).
    [DllImport(Library, EntryPoint = "_ZN2at11show_configB5cxx11Ev")]
    static extern void ShowConfig(byte* result);

    [DllImport(Library, EntryPoint = "_ZN2at18get_cpu_capabilityB5cxx11Ev")]
    static extern void GetCpuCapability(byte* result);

    /// <summary>Whether ATen may use oneDNN (MKL-DNN) kernels for convolutions, pooling and linear layers.</summary>
    public static bool OneDnnEnabled
    {
        get => UserEnabledMkldnn(GlobalContext());
        internal set => SetUserEnabledMkldnn(GlobalContext(), value); // only the self-check chooses
    }

    /// <summary>Whether ATen may use NNPACK for convolutions.</summary>
    public static bool NnpackEnabled
    {
        get => UserEnabledNnpack(GlobalContext());
        internal set => SetUserEnabledNnpack(GlobalContext(), value);
    }

    /// <summary>Why NNPACK cannot start on this CPU, or null where it can.</summary>
    public static string? NnpackUnavailableReason() => NnpInitialize() switch
    {
        0 => null,
        51 => "unsupported hardware",
        50 => "out of memory",
        var status => $"nnp_initialize status {status}",
    };

    /// <summary>libtorch's build summary (compiler, BLAS, oneDNN version, CPU capability), as <c>torch.__config__.show()</c>.</summary>
    public static string BuildConfiguration() => _build ??= CallReturningString(&ShowConfig);
    static string? _build;

    /// <summary>libtorch's version (TORCH_VERSION of its build settings), e.g. "2.10.0".</summary>
    public static string Version =>
        System.Text.RegularExpressions.Regex.Match(BuildConfiguration(), @"TORCH_VERSION=([^,\s]+)") is { Success: true } m ? m.Groups[1].Value : "unknown";

    /// <summary>The vector ISA ATen's own kernels dispatch to on this CPU: DEFAULT, AVX2 or AVX512.</summary>
    public static string CpuCapability() => CallReturningString(&GetCpuCapability);

    static string CallReturningString(delegate*<byte*, void> function)
    {
        // std::__cxx11::basic_string: { char* data; size_t length; char local[16] }. Its heap buffer, when it has
        // one, is left to the process: these are called once, for the doctor.
        byte* result = stackalloc byte[32];
        function(result);
        var data = *(IntPtr*)result;
        var length = *(long*)(result + 8);
        return Marshal.PtrToStringUTF8(data, checked((int)length));
    }
}
