namespace TsgbKit.Native;

/// <summary>Where Tsgb keeps files it derives (the patched native library, extracted demo weights).</summary>
public static class CacheFolder
{
    /// <summary>$TSGB_CACHE, else $XDG_CACHE_HOME/tsgb, else ~/.cache/tsgb, else the temp folder.</summary>
    public static string Root
    {
        get
        {
            var configured = Environment.GetEnvironmentVariable("TSGB_CACHE");
            if (!string.IsNullOrEmpty(configured)) return configured;
            var xdg = Environment.GetEnvironmentVariable("XDG_CACHE_HOME");
            var home = Environment.GetFolderPath(Environment.SpecialFolder.UserProfile);
            var root = !string.IsNullOrEmpty(xdg) ? xdg : !string.IsNullOrEmpty(home) ? Path.Combine(home, ".cache") : Path.GetTempPath();
            return Path.Combine(root, "tsgb");
        }
    }
}
