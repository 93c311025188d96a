using SkiaSharp;

namespace TsgbKit.Interactive.Kernel;

/// <summary>
/// The kernelspec's logo, drawn at install time: "C#" in white on C#'s purple, with a warm saliency spot. The
/// letters are strokes, not text, so the logo looks the same where no font is installed.
/// </summary>
public static class KernelLogo
{
    public static byte[] Png(int size)
    {
        using var surface = SKSurface.Create(new SKImageInfo(size, size, SKColorType.Rgba8888, SKAlphaType.Premul));
        var canvas = surface.Canvas;
        canvas.Clear(SKColors.Transparent);
        canvas.Scale(size / 64f);

        using (var background = new SKPaint { Color = new SKColor(0x68, 0x21, 0x7A), IsAntialias = true })
            canvas.DrawRoundRect(new SKRect(0, 0, 64, 64), 12, 12, background);
        using (var heat = new SKPaint { IsAntialias = true })
        {
            heat.Shader = SKShader.CreateRadialGradient(new SKPoint(50, 50), 16,
                [new SKColor(0xFF, 0xC8, 0x3C, 0xE0), new SKColor(0xE8, 0x3A, 0x1E, 0x00)], SKShaderTileMode.Clamp);
            canvas.DrawCircle(50, 50, 16, heat);
        }
        using var pen = new SKPaint { Color = SKColors.White, IsAntialias = true, Style = SKPaintStyle.Stroke, StrokeWidth = 6, StrokeCap = SKStrokeCap.Round };
        using (var c = new SKPath())
        {
            c.AddArc(new SKRect(8, 16, 36, 48), 40, 280); // an open "C"
            canvas.DrawPath(c, pen);
        }
        pen.StrokeWidth = 3.5f;
        canvas.DrawLine(43, 20, 40, 44, pen); // "#": two slanted uprights…
        canvas.DrawLine(53, 20, 50, 44, pen);
        canvas.DrawLine(37, 27, 57, 27, pen); // …and two bars
        canvas.DrawLine(36, 37, 56, 37, pen);

        using var image = surface.Snapshot();
        using var data = image.Encode(SKEncodedImageFormat.Png, 100);
        return data.ToArray();
    }
}
