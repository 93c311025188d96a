using TsgbKit.Interactive.Tests.Support;
using TsgbKit.Methods;

namespace TsgbKit.Interactive.Tests;

/// <summary>Every name in the method registry: `#!tsgb explain --method NAME --as m` binds the fluent API's map.</summary>
[Collection("kernel")]
public sealed class MagicRoundTripTests(KernelFixture kernel)
{
    public static TheoryData<string> Names() => new(MethodCatalog.Names);

    [Theory]
    [MemberData(nameof(Names))]
    public void ExplainMagicBindsTheFluentApisMap(string name)
    {
        var variable = "rt_" + new string(name.Select(c => char.IsAsciiLetterOrDigit(c) ? c : '_').ToArray()) + "_" + name.Length;
        var wraps = MethodCatalog.Find(name).Wraps;
        var magic = kernel.Execute($"#!tsgb explain --model scene-vgg --weights \"{kernel.WeightsFile}\" --scene 5 --target ring " +
            $"--method {name}{(wraps ? " --samples 2" : "")} --as {variable}");
        Assert.True(magic.Status == "ok", magic.ToString());

        var settings = wraps ? "new MethodSettings { Samples = 2 }" : "null";
        var fluent = kernel.Execute(
            $"var s5_{variable} = Scenes.Generate(5);\n" +
            $"var f_{variable} = DemoModels.FromWeights(\"scene-vgg\", @\"{kernel.WeightsFile}\").Explain(new RgbImage(s5_{variable}.Width, s5_{variable}.Height, s5_{variable}.Rgb))" +
            $".For(\"ring\").With(TsgbKit.Methods.MethodCatalog.Create(\"{name}\", {settings.Replace("new MethodSettings", "new TsgbKit.Methods.MethodSettings")}));\n" +
            $"(f_{variable}.Method == {variable}.Method) + \" \" + f_{variable}.Map.SequenceEqual({variable}.Map)");
        Assert.True(fluent.Status == "ok", fluent.ToString());
        Assert.Equal("True True", fluent.ResultText?.Trim('"')); // same name, same map
    }
}
