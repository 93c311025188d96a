using TsgbKit.Jupyter.Tests.Support;

namespace TsgbKit.Jupyter.Tests;

/// <summary>
/// `dotnet TsgbKit.Jupyter.Tests.dll fake-kernel CONNECTION_FILE` runs a real kernel process with the fake interpreter,
/// so jupyter_client can launch, interrupt and shut it down through a kernelspec. Tests run through vstest instead.
/// </summary>
public static class FakeKernelProgram
{
    public const string Verb = "fake-kernel";

    public static int Main(string[] args)
    {
        if (args is not [Verb, var connectionFile])
        {
            Console.Error.WriteLine($"usage: dotnet TsgbKit.Jupyter.Tests.dll {Verb} CONNECTION_FILE");
            return 2;
        }
        KernelServer.RunAsync(connectionFile, new FakeInterpreter()).GetAwaiter().GetResult();
        return 0;
    }
}
