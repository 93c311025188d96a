namespace TsgbKit.Jupyter.KernelSpecs;

/// <summary>Where a kernelspec is installed: a "kernels" directory that holds one folder per kernel.</summary>
public sealed record KernelSpecLocation(string KernelsDirectory)
{
    /// <summary>The user's kernels (~/.local/share/jupyter/kernels, or JUPYTER_DATA_DIR/kernels).</summary>
    public static KernelSpecLocation User() => new(Path.Combine(JupyterPaths.UserDataDirectory(), "kernels"));

    /// <summary>An environment: PREFIX/share/jupyter/kernels (jupyter kernelspec install --prefix).</summary>
    public static KernelSpecLocation Prefix(string prefix) => new(Path.Combine(JupyterPaths.PrefixDataDirectory(prefix), "kernels"));

    /// <summary>System-wide: /usr/local/share/jupyter/kernels (or %PROGRAMDATA%\jupyter\kernels).</summary>
    public static KernelSpecLocation System() => new(Path.Combine(JupyterPaths.SystemDataDirectories()[0], "kernels"));
}
