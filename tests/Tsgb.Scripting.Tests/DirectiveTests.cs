using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using TsgbKit.Jupyter;

namespace TsgbKit.Scripting.Tests;

public sealed class DirectiveTests
{
    private static string BuildLibrary(string dir, string name)
    {
        var source = $$"""
            namespace {{name}}Lib;
            /// <summary>Greets people.</summary>
            public static class Greeter { public static string Hello(string who) => "Hello, " + who + "!"; }
            """;
        var refs = ((string)AppContext.GetData("TRUSTED_PLATFORM_ASSEMBLIES")!).Split(Path.PathSeparator)
            .Where(p => Path.GetFileName(p) is "System.Runtime.dll" or "System.Private.CoreLib.dll")
            .Select(p => MetadataReference.CreateFromFile(p));
        var compilation = CSharpCompilation.Create(name, [CSharpSyntaxTree.ParseText(source)], refs,
            new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary));
        var path = Path.Combine(dir, name + ".dll");
        var result = compilation.Emit(path);
        Assert.True(result.Success, string.Join("\n", result.Diagnostics));
        return path;
    }

    [Fact]
    public async Task R_directive_references_a_dll_by_absolute_and_relative_path()
    {
        var dir = Directory.CreateTempSubdirectory("tsgb-r-").FullName;
        var abs = BuildLibrary(dir, "AbsGreeting");
        BuildLibrary(dir, "RelGreeting");
        using var i = new CSharpInterpreter(new CSharpInterpreterOptions { WorkingDirectory = dir });
        var r = await i.OkAsync($"#r \"{abs}\"\n#r \"RelGreeting.dll\"\nAbsGreetingLib.Greeter.Hello(\"a\") + RelGreetingLib.Greeter.Hello(\"b\")");
        Assert.Equal("Hello, a!Hello, b!", r.Plain());
        // Still usable in later cells.
        Assert.Equal("Hello, c!", (await i.OkAsync("RelGreetingLib.Greeter.Hello(\"c\")")).Plain());
        var (missing, _) = await i.RunAsync("#r \"nothere.dll\"");
        Assert.Equal(ExecutionStatus.Error, missing.Status);
        Assert.Contains("nothere.dll", missing.Error!.Value);
    }

    [Fact]
    public async Task R_nuget_restores_references_and_caches()
    {
        var cache = Directory.CreateTempSubdirectory("tsgb-nuget-").FullName;
        using var i = new CSharpInterpreter(new CSharpInterpreterOptions { NuGetCacheDirectory = cache });
        var (first, output) = await i.RunAsync("""
            #r "nuget: Newtonsoft.Json, 13.0.3"
            #r "nuget:Humanizer.Core,2.14.1"
            using Humanizer;
            Newtonsoft.Json.JsonConvert.SerializeObject(new { a = "SomeTitle".Humanize() })
            """);
        Assert.True(first.Status == ExecutionStatus.Ok, string.Join("\n", first.Error?.Traceback ?? []));
        Assert.Equal("{\"a\":\"Some title\"}", first.Plain());
        Assert.Contains("Newtonsoft.Json", output.StdOut);
        Assert.Contains("Humanizer.Core", output.StdOut);

        var sw = System.Diagnostics.Stopwatch.StartNew();
        await i.OkAsync("#r \"nuget: Newtonsoft.Json, 13.0.3\"");
        Assert.True(sw.ElapsedMilliseconds < 3000, $"cached restore took {sw.ElapsedMilliseconds} ms");

        var (bad, _) = await i.RunAsync("#r \"nuget: Tsgb.Does.Not.Exist.Package, 1.2.3\"");
        Assert.Equal(ExecutionStatus.Error, bad.Status);
        Assert.Contains("Tsgb.Does.Not.Exist.Package", bad.Error!.Value);
        Assert.Contains("1.2.3", bad.Error.Value);
    }

    [Fact]
    public async Task R_nuget_of_a_package_the_kernel_already_has_uses_the_kernels_assemblies()
    {
        var cache = Directory.CreateTempSubdirectory("tsgb-nuget-").FullName;
        using var i = new CSharpInterpreter(new CSharpInterpreterOptions { NuGetCacheDirectory = cache });
        // As in old .NET Interactive notebooks.
        var (o, output) = await i.RunAsync("""
            #r "nuget: Microsoft.Data.Analysis, 0.23.1"
            using Microsoft.Data.Analysis;
            new DataFrame(new PrimitiveDataFrameColumn<int>("a", new[] { 1, 2, 3 })).Rows.Count
            """);
        Assert.True(o.Status == ExecutionStatus.Ok, string.Join("\n", o.Error?.Traceback ?? []));
        Assert.Equal("3", o.Plain());
        Assert.Contains("already provided by the kernel", output.StdOut);
    }

    [Fact]
    public async Task R_nuget_native_assets_are_loadable()
    {
        var cache = Directory.CreateTempSubdirectory("tsgb-nuget-").FullName;
        using var i = new CSharpInterpreter(new CSharpInterpreterOptions { NuGetCacheDirectory = cache });
        // SkiaSharp's managed code P/Invokes libSkiaSharp, which only the native-assets package carries.
        var (o, _) = await i.RunAsync("""
            #r "nuget: SkiaSharp, 2.88.9"
            #r "nuget: SkiaSharp.NativeAssets.Linux.NoDependencies, 2.88.9"
            var bitmap = new SkiaSharp.SKBitmap(3, 2);
            bitmap.Width * bitmap.Height
            """);
        Assert.True(o.Status == ExecutionStatus.Ok, string.Join("\n", o.Error?.Traceback ?? []));
        Assert.Equal("6", o.Plain());
    }
}
