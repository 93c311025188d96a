using System.Collections.Concurrent;
using System.Diagnostics;
using System.Reflection;
using System.Runtime.InteropServices;
using System.Runtime.Loader;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace TsgbKit.Scripting.NuGet;

/// <summary>A <c>#r "nuget: Id, Version"</c> directive; Version null means the latest stable.</summary>
internal sealed record PackageRequest(string Id, string? Version)
{
    public override string ToString() => Version is null ? Id : $"{Id} {Version}";
}

/// <summary>A restore that failed; the message names package and version.</summary>
internal sealed class NuGetRestoreException(string message, IReadOnlyList<string> details) : Exception(message)
{
    public IReadOnlyList<string> Details { get; } = details;
}

/// <summary>The assets of a restored package and its dependencies.</summary>
internal sealed record RestoredPackage(IReadOnlyList<string> CompileAssemblies, IReadOnlyList<string> RuntimeAssemblies, IReadOnlyList<string> NativeLibraries);

/// <summary>
/// Finds and strips <c>#r "nuget: ..."</c> lines (replaced by blanks of the same length, so positions stay).
/// </summary>
internal static partial class NuGetDirectives
{
    [GeneratedRegex(@"^[ \t]*#r[ \t]+""nuget:[ \t]*(?<id>[^,""\s]+)[ \t]*(,[ \t]*(?<version>[^""\s]*)[ \t]*)?""[ \t]*$", RegexOptions.Multiline)]
    private static partial Regex Directive();

    public static (string Code, IReadOnlyList<PackageRequest> Packages) Extract(string code)
    {
        var list = new List<PackageRequest>();
        var stripped = Directive().Replace(code, m =>
        {
            var v = m.Groups["version"].Success && m.Groups["version"].Value.Length > 0 ? m.Groups["version"].Value : null;
            list.Add(new PackageRequest(m.Groups["id"].Value, v));
            return new string(' ', m.Length);
        });
        return (stripped, list);
    }
}

/// <summary>
/// Restores NuGet packages through the NuGet configuration a project in the kernel's working folder would get
/// (NuGet.Config files from that folder up, then the user's and the machine's): a generated project per package,
/// version and folder in a cache directory, <c>dotnet restore</c>, then the net10.0 assets from project.assets.json.
/// </summary>
internal sealed class NuGetRestorer
{
    private readonly string _cacheDir;
    private static readonly ConcurrentDictionary<string, RestoredPackage> s_restored = new();
    private static readonly ConcurrentDictionary<string, string> s_runtimeByName = new(StringComparer.OrdinalIgnoreCase);
    private static readonly ConcurrentDictionary<string, string> s_nativeByName = new(StringComparer.Ordinal);
    private static readonly ConcurrentDictionary<AssemblyLoadContext, bool> s_hookedContexts = new();
    private static int s_hooked;

    public NuGetRestorer(string? cacheDir)
    {
        _cacheDir = cacheDir ?? Path.Combine(
            Environment.GetEnvironmentVariable("XDG_CACHE_HOME") is { Length: > 0 } x ? x
                : Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".cache"),
            "tsgb", "nuget");
    }

    public static string TargetFramework => $"net{Environment.Version.Major}.0";

    public async Task<RestoredPackage> RestoreAsync(PackageRequest package, CancellationToken cancel)
    {
        var key = $"{package.Id.ToLowerInvariant()}/{package.Version?.ToLowerInvariant() ?? "latest"}/{TargetFramework}";
        if (s_restored.TryGetValue(key, out var cached)) return cached;

        // NuGet.Config files are looked up from the kernel's working folder (Jupyter starts a kernel in the
        // notebook's folder), as `dotnet restore` does from a project's: one restore folder per package and folder.
        var configFolder = Environment.CurrentDirectory;
        var hash = Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(key + "\n" + configFolder)))[..16].ToLowerInvariant();
        var dir = Path.Combine(_cacheDir, hash);
        var assets = Path.Combine(dir, "obj", "project.assets.json");
        var marker = Path.Combine(dir, "restored.ok");
        if (!File.Exists(marker) || !File.Exists(assets))
        {
            Directory.CreateDirectory(dir);
            var version = package.Version ?? "*";
            // Directory.Build.props and central package management of folders above must not apply.
            var project = $"""
                <Project>
                  <PropertyGroup>
                    <ImportDirectoryBuildProps>false</ImportDirectoryBuildProps>
                    <ImportDirectoryBuildTargets>false</ImportDirectoryBuildTargets>
                    <ImportDirectoryPackagesProps>false</ImportDirectoryPackagesProps>
                    <ManagePackageVersionsCentrally>false</ManagePackageVersionsCentrally>
                  </PropertyGroup>
                  <Import Project="Sdk.props" Sdk="Microsoft.NET.Sdk" />
                  <PropertyGroup>
                    <TargetFramework>{TargetFramework}</TargetFramework>
                    <OutputType>Library</OutputType>
                    <EnableDefaultItems>false</EnableDefaultItems>
                    <NoWarn>$(NoWarn);NU1603;NU1701</NoWarn>
                  </PropertyGroup>
                  <ItemGroup>
                    <PackageReference Include="{System.Security.SecurityElement.Escape(package.Id)}" Version="{System.Security.SecurityElement.Escape(version)}" />
                  </ItemGroup>
                  <Import Project="Sdk.targets" Sdk="Microsoft.NET.Sdk" />
                </Project>
                """;
            await File.WriteAllTextAsync(Path.Combine(dir, "restore.csproj"), project, cancel);
            var (code, output) = await RunDotnetAsync(dir, configFolder, cancel);
            if (code != 0 || !File.Exists(assets))
            {
                var details = output.Split('\n').Select(l => l.Trim()).Where(l => l.Contains("error", StringComparison.OrdinalIgnoreCase)).Distinct().Take(20).ToList();
                File.Delete(marker);
                throw new NuGetRestoreException(
                    $"Could not restore NuGet package '{package.Id}' version '{package.Version ?? "(latest)"}'." +
                    (details.Count > 0 ? " " + details[0] : ""), details);
            }
            await File.WriteAllTextAsync(marker, DateTime.UtcNow.ToString("O"), cancel);
        }

        var restored = ReadAssets(assets);
        Register(restored);
        s_restored[key] = restored;
        return restored;
    }

    private static async Task<(int Code, string Output)> RunDotnetAsync(string dir, string configFolder, CancellationToken cancel)
    {
        var dotnet = Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } h && File.Exists(h) ? h : "dotnet";
        var psi = new ProcessStartInfo(dotnet)
        {
            WorkingDirectory = dir,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var a in new[] { "restore", "restore.csproj", "--nologo", "-v", "q", $"-p:RestoreRootConfigDirectory={configFolder.Replace("%", "%25").Replace(";", "%3B").Replace(",", "%2C")}" })
            psi.ArgumentList.Add(a);
        psi.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        psi.Environment["DOTNET_NOLOGO"] = "1";
        // The kernel's own MSBuild environment must not leak into the child build.
        psi.Environment.Remove("MSBuildExtensionsPath");
        psi.Environment.Remove("MSBUILD_EXE_PATH");
        psi.Environment.Remove("MSBuildSDKsPath");
        using var p = Process.Start(psi) ?? throw new NuGetRestoreException("Could not start 'dotnet restore'.", []);
        var so = p.StandardOutput.ReadToEndAsync(cancel);
        var se = p.StandardError.ReadToEndAsync(cancel);
        try { await p.WaitForExitAsync(cancel); }
        catch (OperationCanceledException) { try { p.Kill(true); } catch { } throw; }
        return (p.ExitCode, await so + await se);
    }

    internal static RestoredPackage ReadAssets(string assetsPath)
    {
        using var doc = JsonDocument.Parse(File.ReadAllBytes(assetsPath));
        var root = doc.RootElement;
        var packageFolder = root.GetProperty("packageFolders").EnumerateObject().First().Name;
        var libraries = root.GetProperty("libraries");
        var target = root.GetProperty("targets").EnumerateObject().First(t => !t.Name.Contains('/')).Value;
        var rids = RidChain();
        List<string> compile = [], runtime = [], native = [];
        foreach (var lib in target.EnumerateObject())
        {
            if (lib.Value.TryGetProperty("type", out var type) && type.GetString() != "package") continue;
            var libPath = libraries.GetProperty(lib.Name).GetProperty("path").GetString()!;
            var baseDir = Path.Combine(packageFolder, libPath);
            IEnumerable<string> Files(string section) => lib.Value.TryGetProperty(section, out var s)
                ? s.EnumerateObject().Select(f => f.Name).Where(n => !n.EndsWith("/_._", StringComparison.Ordinal) && n != "_._")
                    .Select(n => Path.GetFullPath(Path.Combine(baseDir, n)))
                : [];
            compile.AddRange(Files("compile").Where(f => f.EndsWith(".dll", StringComparison.OrdinalIgnoreCase)));
            runtime.AddRange(Files("runtime").Where(f => f.EndsWith(".dll", StringComparison.OrdinalIgnoreCase)));
            if (lib.Value.TryGetProperty("runtimeTargets", out var rt))
            {
                // The most specific RID wins per file name.
                var candidates = rt.EnumerateObject()
                    .Select(f => (Path: f.Name, Rid: f.Value.GetProperty("rid").GetString() ?? "", Kind: f.Value.GetProperty("assetType").GetString() ?? ""))
                    .Where(c => rids.Contains(c.Rid))
                    .OrderBy(c => Array.IndexOf(rids, c.Rid));
                var seen = new HashSet<string>(StringComparer.Ordinal);
                foreach (var c in candidates)
                {
                    if (!seen.Add(c.Kind + "/" + Path.GetFileName(c.Path))) continue;
                    var full = Path.GetFullPath(Path.Combine(baseDir, c.Path));
                    if (c.Kind == "native") native.Add(full);
                    else if (c.Kind == "runtime") runtime.Add(full);
                }
            }
        }
        // The script loader loads referenced files as they are: a reference assembly (ref/) cannot run, so where a
        // package has an implementation of the same name, the compilation references that one.
        var runtimeByName = runtime.GroupBy(r => Path.GetFileName(r), StringComparer.OrdinalIgnoreCase)
            .ToDictionary(g => g.Key, g => g.Last(), StringComparer.OrdinalIgnoreCase);
        var references = compile.Select(c => runtimeByName.TryGetValue(Path.GetFileName(c), out var r) ? r : c).ToList();
        return new RestoredPackage(references.Distinct().ToList(), runtime.Distinct().ToList(), native.Distinct().ToList());
    }

    private static string[] RidChain()
    {
        var arch = RuntimeInformation.OSArchitecture.ToString().ToLowerInvariant();
        if (OperatingSystem.IsLinux()) return [$"linux-{arch}", "linux", "unix", "any"];
        if (OperatingSystem.IsMacOS()) return [$"osx-{arch}", "osx", "unix", "any"];
        if (OperatingSystem.IsWindows()) return [$"win-{arch}", "win", "any"];
        return [RuntimeInformation.RuntimeIdentifier, "any"];
    }

    /// <summary>Makes the runtime and native assets loadable.</summary>
    private static void Register(RestoredPackage package)
    {
        // Runtime assemblies by simple name; when a RID-specific one exists it was listed later and wins.
        foreach (var r in package.RuntimeAssemblies) s_runtimeByName[Path.GetFileNameWithoutExtension(r)] = r;
        foreach (var n in package.NativeLibraries) s_nativeByName.TryAdd(Path.GetFileName(n), n);
        if (Interlocked.Exchange(ref s_hooked, 1) == 1) return;
        AppDomain.CurrentDomain.AssemblyResolve += (_, args) =>
        {
            var name = new AssemblyName(args.Name).Name;
            return name is not null && s_runtimeByName.TryGetValue(name, out var path) ? Assembly.LoadFrom(path) : null;
        };
        HookContext(AssemblyLoadContext.Default);
        AppDomain.CurrentDomain.AssemblyLoad += (_, args) =>
        {
            var alc = AssemblyLoadContext.GetLoadContext(args.LoadedAssembly);
            if (alc is not null) HookContext(alc);
        };
        foreach (var alc in AssemblyLoadContext.All) HookContext(alc);
    }

    private static void HookContext(AssemblyLoadContext alc)
    {
        if (!s_hookedContexts.TryAdd(alc, true)) return;
        alc.ResolvingUnmanagedDll += (_, name) =>
        {
            foreach (var candidate in new[] { name, $"lib{name}.so", $"{name}.so", $"lib{name}.dylib", $"{name}.dll" })
                if (s_nativeByName.TryGetValue(candidate, out var path) && NativeLibrary.TryLoad(path, out var handle))
                    return handle;
            return IntPtr.Zero;
        };
    }
}
