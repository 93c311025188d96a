namespace TsgbKit.Models;

/// <summary>Per-channel mean and standard deviation a model's inputs are normalized with.</summary>
public sealed record Normalization(float[] Mean, float[] Std)
{
    public static Normalization ImageNet { get; } = new([0.485f, 0.456f, 0.406f], [0.229f, 0.224f, 0.225f]);

    /// <summary>A normalized 3×H×W (channel-major) array back to H×W×3 RGB bytes for display.</summary>
    public byte[] ToRgb(ReadOnlySpan<float> chw, int height, int width)
    {
        var rgb = new byte[height * width * 3];
        int plane = height * width;
        for (int c = 0; c < 3; c++)
            for (int i = 0; i < plane; i++)
            {
                var value = (chw[c * plane + i] * Std[c] + Mean[c]) * 255f;
                rgb[i * 3 + c] = (byte)Math.Clamp(MathF.Round(value), 0, 255);
            }
        return rgb;
    }
}
