using SkiaSharp;

namespace AlignmentBot.Bot.Digests.Charts;

/// <summary>
/// The one font charts draw with, shipped inside this assembly: a fresh server or container often has no
/// system fonts, and Skia then draws every label as nothing at all.
/// </summary>
internal static class ChartFont
{
    private const string Resource = "AlignmentBot.Bot.Digests.Charts.Fonts.DejaVuSans.ttf";

    // Loaded once: a typeface is immutable and Skia shares it between threads.
    private static readonly Lazy<SKTypeface> Loaded = new(() =>
    {
        using var stream = typeof(ChartFont).Assembly.GetManifestResourceStream(Resource)
                           ?? throw new InvalidOperationException($"The chart font {Resource} is missing from the assembly.");
        return SKTypeface.FromData(SKData.Create(stream)) ?? throw new InvalidOperationException($"The chart font {Resource} cannot be read.");
    });

    public static SKTypeface Typeface => Loaded.Value;
}
