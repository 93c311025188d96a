using System.Reflection;

namespace TsgbKit.Scripting;

/// <summary>What the host decides about a <see cref="CSharpInterpreter"/>: imports, references, directories.</summary>
public sealed class CSharpInterpreterOptions
{
    /// <summary>The default imports when the host names none.</summary>
    public static IReadOnlyList<string> DefaultUsings { get; } =
        ["System", "System.IO", "System.Linq", "System.Collections.Generic", "System.Threading.Tasks", "System.Text"];

    /// <summary>
    /// Namespaces imported in every cell; "static X.Y" imports the static members of type X.Y
    /// (e.g. "static TorchSharp.torch"). TsgbKit.Scripting and Microsoft.DotNet.Interactive.Formatting
    /// (display helpers, Formatter) are always imported in addition.
    /// </summary>
    public IList<string> Usings { get; init; } = DefaultUsings.ToList();

    /// <summary>Assemblies the cells can use (besides the framework, which is always referenced).</summary>
    public IList<Assembly> References { get; init; } = new List<Assembly>();

    /// <summary>Assembly files the cells can use.</summary>
    public IList<string> ReferencePaths { get; init; } = new List<string>();

    /// <summary>Base directory of relative <c>#r "path"</c> directives; the process's current directory when null.</summary>
    public string? WorkingDirectory { get; init; }

    /// <summary>Where <c>#r "nuget: ..."</c> restores are cached; ~/.cache/tsgb/nuget when null.</summary>
    public string? NuGetCacheDirectory { get; init; }

    /// <summary>
    /// Seconds an interrupted cell gets to stop by itself (loops are instrumented, so it usually does at once)
    /// before the interpreter gives up waiting, reports the interrupt and leaves the cell running in the background.
    /// </summary>
    public TimeSpan InterruptGracePeriod { get; init; } = TimeSpan.FromSeconds(3);

    /// <summary>Route Console.Out/Error/In of the process to the executing cell (on by default).</summary>
    public bool RedirectConsole { get; init; } = true;
}
