using TsgbKit.Errors;

namespace TsgbKit.Native;

/// <summary>
/// One way to run libtorch's CPU kernels: with oneDNN (optionally capped to an older instruction set) or without
/// it (ATen's own kernels and BLAS). The self-check chooses one; <c>TSGB_TORCH_BACKEND</c> forces one.
/// </summary>
public sealed record TorchConfiguration(string Name, bool OneDnn, string? IsaCap, string Description)
{
    /// <summary>libtorch's default: oneDNN with everything the CPU offers. Fastest where it is right.</summary>
    public static TorchConfiguration OneDnnFull { get; } = new("onednn", true, null, "oneDNN, full instruction set");

    /// <summary>oneDNN limited to SSE4.1 kernels (DNNL_MAX_CPU_ISA), which must be set before oneDNN's first use.</summary>
    public static TorchConfiguration OneDnnSse41 { get; } = CappedTo("SSE41");

    /// <summary>oneDNN off: ATen's native convolutions and BLAS.</summary>
    public static TorchConfiguration NoOneDnn { get; } = new("no-onednn", false, null, "oneDNN off (ATen's own kernels and BLAS)");

    /// <summary>The configurations the self-check tries, fastest first (as measured on AVX-512 machines).</summary>
    public static IReadOnlyList<TorchConfiguration> Candidates { get; } = [OneDnnFull, NoOneDnn, OneDnnSse41];

    /// <summary>oneDNN capped at an ISA name as oneDNN spells it (SSE41, AVX, AVX2, AVX512_CORE, …).</summary>
    public static TorchConfiguration CappedTo(string isa) =>
        new($"onednn-{isa.ToLowerInvariant()}", true, isa.ToUpperInvariant(), $"oneDNN capped at {isa.ToUpperInvariant()} (DNNL_MAX_CPU_ISA)");

    /// <summary>A name as <c>TSGB_TORCH_BACKEND</c> takes it: onednn, no-onednn, or onednn-ISA (e.g. onednn-sse41).</summary>
    public static TorchConfiguration Parse(string name)
    {
        var text = name.Trim().ToLowerInvariant();
        if (text == OneDnnFull.Name) return OneDnnFull;
        if (text == NoOneDnn.Name) return NoOneDnn;
        if (text.StartsWith("onednn-", StringComparison.Ordinal) && text.Length > 7 && text[7..].All(c => char.IsAsciiLetterOrDigit(c) || c == '_'))
            return CappedTo(text[7..]);
        throw new TsgbInputException(
            $"TSGB_TORCH_BACKEND={name}: unknown configuration; use auto, {OneDnnFull.Name}, {NoOneDnn.Name} or onednn-ISA (e.g. {OneDnnSse41.Name})");
    }

    public override string ToString() => Name;
}
