using ScottPlot;
using SkiaSharp;

namespace AlignmentBot.Bot.Digests.Charts;

/// <summary>
/// The one font charts draw with, shipped inside this assembly: a fresh server or container often has no
/// system fonts, and Skia then draws every label as nothing at all.
/// </summary>
internal static class ChartFont
{
    /// <summary>A name no system font has, so ScottPlot asks our resolver rather than the machine.</summary>
    public const string Name = "AlignmentBot Chart Sans";

    private const string Resource = "AlignmentBot.Bot.Digests.Charts.Fonts.DejaVuSans.ttf";

    // ScottPlot keeps its font resolvers in a process-wide list; ours goes in once, before the first chart.
    private static readonly Lazy<bool> Registered = new(() =>
    {
        Fonts.FontResolvers.Add(new EmbeddedResolver(LoadData()));
        return true;
    });

    public static void EnsureRegistered() => _ = Registered.Value;

    private static SKData LoadData()
    {
        using var stream = typeof(ChartFont).Assembly.GetManifestResourceStream(Resource)
                           ?? throw new InvalidOperationException($"The chart font {Resource} is missing from the assembly.");
        return SKData.Create(stream);
    }

    /// <summary>Answers only for <see cref="Name"/>; every weight and slant gets the regular face.</summary>
    private sealed class EmbeddedResolver(SKData data) : IFontResolver
    {
        public SKTypeface? CreateTypeface(string fontName, FontWeight weight, FontSlant slant, FontSpacing width) => Create(fontName);

        public SKTypeface? CreateTypeface(string fontName, bool bold, bool italic) => Create(fontName);

        private SKTypeface? Create(string fontName) =>
            string.Equals(fontName, Name, StringComparison.Ordinal) ? SKTypeface.FromData(data) : null;
    }
}
