namespace TsgbKit.Jupyter;

/// <summary>Diagnostics of the protocol layer. Goes to stderr by default: stdout may belong to the user's code.</summary>
public sealed class KernelLog
{
    private readonly TextWriter _writer;
    private readonly object _gate = new();

    public KernelLog(TextWriter? writer = null) => _writer = writer ?? Console.Error;

    public static KernelLog Stderr { get; } = new();

    public void Info(string message) => Write("info", message);
    public void Warn(string message) => Write("warn", message);
    public void Error(string message) => Write("error", message);

    private void Write(string level, string message)
    {
        lock (_gate)
        {
            try
            {
                _writer.WriteLine($"[tsgb-jupyter {DateTime.UtcNow:HH:mm:ss.fff} {level}] {message}");
                _writer.Flush();
            }
            catch (ObjectDisposedException) { } // logging must never take the kernel down
        }
    }
}
