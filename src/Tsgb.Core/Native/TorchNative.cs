using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Security.Cryptography;
using TsgbKit.Errors;

namespace TsgbKit.Native;

/// <summary>
/// Makes TorchSharp's native bridge loadable before TorchSharp first touches it.
/// libLibTorchSharp.so of TorchSharp 0.107 needs GLIBCXX_3.4.32 only for a symbol nothing calls; on systems whose
/// libstdc++ is older (Debian 12) the loader refuses it. There we load a private copy whose version-need entry is
/// marked weak. The NuGet cache and the application folder are never modified.
/// </summary>
public static class TorchNative
{
    const string Bridge = "libLibTorchSharp.so";
    const string MissingVersion = "GLIBCXX_3.4.32";
    static readonly object Gate = new();
    static bool _ready;
    static bool _bridgeLoaded;
    static Exception? _refused; // the self-check's verdict is final for the process

    /// <summary>Runs when Tsgb.Core is first used, so that any caller of Tsgb gets a working TorchSharp.</summary>
    [ModuleInitializer]
    [System.Diagnostics.CodeAnalysis.SuppressMessage("Usage", "CA2255", Justification = "deliberate: the loader fix and CPU self-check must run before any TorchSharp call of a Tsgb.Core user")]
    internal static void Initialize()
    {
        try { EnsureLoaded(); }
        catch (Exception) { /* reported again, with its message, by the first explicit EnsureLoaded call */ }
    }

    /// <summary>The path of the patched copy in use, or null where the original loaded as it is.</summary>
    public static string? PatchedCopy { get; private set; }

    /// <summary>
    /// Loads the native bridge (patched if needed) and runs the numerics self-check (<see cref="TorchBackend"/>).
    /// Throws one clear error if either fails.
    /// </summary>
    public static void EnsureLoaded()
    {
        lock (Gate)
        {
            if (_refused is not null) throw _refused;
            if (_ready) return;
            if (!_bridgeLoaded) LoadBridge();
            _bridgeLoaded = true;
            try { TorchBackend.Select(); }
            catch (Exception e) when (e is TorchNumericsException or ArgumentException)
            {
                _refused = e;
                throw;
            }
            _ready = true;
        }
    }

    static void LoadBridge()
    {
        if (!OperatingSystem.IsLinux()) return;

        var folder = NativeFolder();
        if (folder is null) return; // let TorchSharp search and report on its own
        var original = Path.Combine(folder, Bridge);

        try
        {
            NativeLibrary.Load(original);
            return;
        }
        catch (DllNotFoundException e) when (e.Message.Contains(MissingVersion))
        {
            // fall through: the known libstdc++ mismatch, which a weak version-need entry resolves
        }
        catch (DllNotFoundException e)
        {
            throw new TorchLoadException($"TorchSharp's native library {original} cannot be loaded: {e.Message}", e);
        }

        try
        {
            // libLibTorchSharp.so finds libtorch through RUNPATH=$ORIGIN; its copy lives elsewhere, so load those first.
            foreach (var dependency in new[] { "libc10.so", "libtorch_cpu.so", "libtorch_cuda.so", "libtorch.so" })
            {
                var path = Path.Combine(folder, dependency);
                if (File.Exists(path)) NativeLibrary.Load(path);
            }
            var copy = PatchedCopyOf(original);
            var handle = NativeLibrary.Load(copy);
            PatchedCopy = copy;
            RouteImportsTo(handle);
        }
        catch (Exception e) when (e is DllNotFoundException or IOException or UnauthorizedAccessException or InvalidDataException)
        {
            throw new TorchLoadException(
                $"TorchSharp's native library {original} needs {MissingVersion}, which this system's libstdc++ lacks, " +
                $"and the weak-version workaround failed: {e.Message}", e);
        }
    }

    /// <summary>Sends TorchSharp's [DllImport("LibTorchSharp")] to the patched copy, whatever path the runtime would probe.</summary>
    static void RouteImportsTo(IntPtr handle)
    {
        try
        {
            NativeLibrary.SetDllImportResolver(typeof(TorchSharp.torch).Assembly, (name, _, _) =>
                name.Contains("LibTorchSharp", StringComparison.Ordinal) ? handle : IntPtr.Zero);
        }
        catch (InvalidOperationException)
        {
            // TorchSharp registered its own resolver; the loaded copy is still found through its SONAME.
        }
    }

    /// <summary>The folder the host resolves native assets from that holds libLibTorchSharp.so.</summary>
    static string? NativeFolder()
    {
        var searched = (AppContext.GetData("NATIVE_DLL_SEARCH_DIRECTORIES") as string ?? "")
            .Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
            .Append(AppContext.BaseDirectory)
            .Append(Path.Combine(AppContext.BaseDirectory, "runtimes", "linux-x64", "native"));
        var torchSharp = typeof(TorchSharp.torch).Assembly.Location;
        if (torchSharp.Length > 0)
            searched = searched.Append(Path.Combine(Path.GetDirectoryName(torchSharp)!, "runtimes", "linux-x64", "native"));
        return searched.FirstOrDefault(d => File.Exists(Path.Combine(d, Bridge)));
    }

    /// <summary>Writes (once per distinct original) a copy with the GLIBCXX_3.4.32 need marked weak.</summary>
    static string PatchedCopyOf(string original)
    {
        var bytes = File.ReadAllBytes(original);
        var hash = Convert.ToHexString(SHA256.HashData(bytes))[..16].ToLowerInvariant();
        var folder = Path.Combine(CacheFolder.Root, "native", hash);
        var target = Path.Combine(folder, Bridge);
        if (File.Exists(target)) return target;

        if (ElfVersionNeed.MakeWeak(bytes, MissingVersion) == 0)
            throw new InvalidDataException($"{original} has no {MissingVersion} version-need entry to relax");
        Directory.CreateDirectory(folder);
        var temporary = target + "." + Environment.ProcessId + ".tmp";
        File.WriteAllBytes(temporary, bytes);
        File.Move(temporary, target, overwrite: true); // atomic, so concurrent processes never see half a file
        return target;
    }
}

/// <summary>TorchSharp's native libraries could not be loaded; the message says why.</summary>
public sealed class TorchLoadException(string message, Exception inner) : Exception(message, inner), IUserError;
