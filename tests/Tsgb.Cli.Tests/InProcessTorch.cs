namespace TsgbKit.Cli.Tests;

/// <summary>
/// The test classes that also compute maps in this process (to compare with what the tool wrote) run one after
/// the other: libtorch calls from two test classes at once failed here once, in a forward pass of the fluent API.
/// </summary>
[CollectionDefinition(Name)]
public sealed class InProcessTorch
{
    public const string Name = "in-process libtorch";
}
