using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace TsgbKit.Jupyter.KernelSpecs;

/// <summary>
/// The content of kernel.json. <see cref="Argv"/> usually contains "{connection_file}", which the frontend replaces
/// with the path of the connection file when it launches the kernel.
/// </summary>
public sealed record KernelSpec(IReadOnlyList<string> Argv, string DisplayName, string Language)
{
    /// <summary>"message" (interrupt_request on control) or "signal" (SIGINT).</summary>
    public string InterruptMode { get; init; } = "message";

    /// <summary>Environment variables the frontend sets for the kernel process.</summary>
    public IReadOnlyDictionary<string, string> Env { get; init; } = new Dictionary<string, string>();

    /// <summary>Free-form metadata (e.g. "debugger": false).</summary>
    public JsonObject? Metadata { get; init; }

    private static readonly JsonSerializerOptions Indented = new()
    {
        WriteIndented = true,
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    public string ToJson()
    {
        var argv = new JsonArray();
        foreach (var arg in Argv) argv.Add(arg);
        var json = new JsonObject
        {
            ["argv"] = argv,
            ["display_name"] = DisplayName,
            ["language"] = Language,
            ["interrupt_mode"] = InterruptMode,
        };
        if (Env.Count > 0)
        {
            var env = new JsonObject();
            foreach (var (key, value) in Env) env[key] = value;
            json["env"] = env;
        }
        if (Metadata is not null) json["metadata"] = Metadata.DeepClone();
        return json.ToJsonString(Indented);
    }

    public static KernelSpec FromJson(string json)
    {
        var obj = JsonNode.Parse(json) as JsonObject ?? throw new FormatException("kernel.json is not a JSON object.");
        var argv = (obj["argv"] as JsonArray)?.Select(a => a?.GetValue<string>() ?? "").ToArray()
            ?? throw new FormatException("kernel.json has no argv.");
        var env = new Dictionary<string, string>(StringComparer.Ordinal);
        if (obj["env"] is JsonObject envObj)
            foreach (var (key, value) in envObj) env[key] = value?.ToString() ?? "";
        return new KernelSpec(argv, obj["display_name"]?.GetValue<string>() ?? "", obj["language"]?.GetValue<string>() ?? "")
        {
            InterruptMode = obj["interrupt_mode"]?.GetValue<string>() ?? "signal", // the spec's default when absent
            Env = env,
            Metadata = obj["metadata"]?.DeepClone() as JsonObject,
        };
    }
}
