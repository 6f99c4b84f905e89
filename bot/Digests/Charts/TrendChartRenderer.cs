using System.Globalization;
using SkiaSharp;

namespace AlignmentBot.Bot.Digests.Charts;

/// <summary>
/// Draws a digest's chart as one PNG sized for a Teams card: the last runs' alignment score (left axis, 1–5) and
/// participation (right axis, %) on top, key-result progress bars below.
/// </summary>
/// <remarks>
/// Drawn with Skia directly, not through a plotting library: a tenant's weekly burst draws one chart per team, and
/// ScottPlot's general layout, tick and label machinery cost more than the digest's database work
/// (scripts/bench/digest.sh, <c>digest-profile</c>). The chart has fixed axes, so its layout is fixed too.
/// </remarks>
internal static class TrendChartRenderer
{
    public const int Width = 800;
    public const int Height = 450;
    public const int MaxRuns = 8;

    /// <summary>More bars than this get too thin to read in a card; the rest are counted in the panel's title.</summary>
    public const int MaxBars = 12;

    private const int TrendHeight = 215;
    private const int MaxLabelLength = 30;
    private const float TickSize = 12;

    private static readonly SKColor ScoreColor = SKColor.Parse("#2B6CB0");
    private static readonly SKColor ParticipationColor = SKColor.Parse("#DD6B20");
    private static readonly SKColor BarColor = SKColor.Parse("#68A37C");
    private static readonly SKColor ExpectedColor = SKColor.Parse("#1A202C");

    public static byte[] Render(TrendChartData data)
    {
        using var surface = DrawSurface(data);
        using var pixels = surface.PeekPixels();
        return PngWriter.Encode(pixels);
    }

    /// <summary>The chart's pixels, not yet encoded (the chart benchmark times drawing and encoding apart).</summary>
    internal static SKSurface DrawSurface(TrendChartData data)
    {
        // Opaque: drawn on white, and encoded without an alpha channel (PngWriter).
        var surface = SKSurface.Create(new SKImageInfo(Width, Height, SKColorType.Rgba8888, SKAlphaType.Opaque));
        surface.Canvas.Clear(SKColors.White);
        using var painter = new ChartPainter(surface.Canvas);
        Trend(painter, data);
        Progress(painter, data.KeyResults);
        return surface;
    }

    private static void Trend(ChartPainter p, TrendChartData data)
    {
        var runs = data.Runs.TakeLast(MaxRuns).ToList();
        var area = new SKRect(46, 40, Width - 68, TrendHeight - 38);
        p.Text(Shorten(data.Title, 80), area.MidX, 18, 15, ChartPainter.Ink, SKTextAlign.Center);

        // Left: the score from 1 to 5 (0.7–5.3 keeps the markers off the frame); right: participation in % (-7.5–107.5).
        float ScoreY(double score) => (float)(area.Bottom - (score - 0.7) / 4.6 * area.Height);
        float PercentY(double percent) => (float)(area.Bottom - (percent + 7.5) / 115 * area.Height);
        var slots = Math.Max(runs.Count, 1);
        float X(int run) => area.Left + (run + 0.5f) / slots * area.Width;

        for (var score = 1; score <= 5; score++)
        {
            var y = ScoreY(score);
            p.GridLine(area.Left, y, area.Right, y);
            p.Line(area.Left - 4, y, area.Left, y, ChartPainter.Ink, 1);
            p.Text(score.ToString(CultureInfo.InvariantCulture), area.Left - 7, y, TickSize, ChartPainter.Ink, SKTextAlign.Right);
        }

        for (var percent = 0; percent <= 100; percent += 25)
        {
            var y = PercentY(percent);
            p.Line(area.Right, y, area.Right + 4, y, ChartPainter.Ink, 1);
            p.Text(string.Create(CultureInfo.InvariantCulture, $"{percent}%"), area.Right + 7, y, TickSize, ChartPainter.Ink);
        }

        p.TurnedText("Alignment (1–5)", 13, area.MidY, 13, ScoreColor, -90);
        p.TurnedText("Participation", Width - 12, area.MidY, 13, ParticipationColor, 90);
        for (var i = 0; i < runs.Count; i++)
        {
            p.GridLine(X(i), area.Top, X(i), area.Bottom);
            p.Text(Shorten(runs[i].Label, 14), X(i), area.Bottom + 12, TickSize, ChartPainter.Ink, SKTextAlign.Center);
        }

        p.Frame(area);
        if (runs.Count == 0)
        {
            p.Note("No closed pulse runs yet", area);
            return;
        }

        foreach (var stretch in Stretches([.. runs.Select(r => r.AlignmentScore)]))
        {
            p.Series([.. stretch.Select(c => new SKPoint(X((int)c.X), ScoreY(c.Y)))], ScoreColor, 2.5f, 8);
        }

        foreach (var stretch in Stretches([.. runs.Select(r => r.Participation * 100)]))
        {
            p.Series([.. stretch.Select(c => new SKPoint(X((int)c.X), PercentY(c.Y)))], ParticipationColor, 2.5f, 8);
        }

        if (runs.Any(r => r.AlignmentScore is null || r.Participation is null))
        {
            p.Text("A gap is a run whose result was withheld (too few answers to show).", area.MidX, area.Bottom + 29, 11, ChartPainter.Ink, SKTextAlign.Center);
        }
    }

    /// <summary>One line per stretch of shown values, so a withheld run is a gap in the line, never a zero.</summary>
    internal static List<(double X, double Y)[]> Stretches(IReadOnlyList<double?> values)
    {
        var stretches = new List<(double X, double Y)[]>();
        var stretch = new List<(double X, double Y)>();
        for (var i = 0; i <= values.Count; i++)
        {
            if (i < values.Count && values[i] is { } value && double.IsFinite(value))
            {
                stretch.Add((i, value));
            }
            else if (stretch.Count > 0)
            {
                stretches.Add([.. stretch]);
                stretch.Clear();
            }
        }

        return stretches;
    }

    internal static string ProgressTitle(int keyResults) =>
        keyResults > MaxBars ? $"Key-result progress (+{keyResults - MaxBars} more)" : "Key-result progress";

    private static void Progress(ChartPainter p, IReadOnlyList<ProgressBar> keyResults)
    {
        var shown = keyResults.Take(MaxBars).ToList();
        var labels = shown.Select(kr => Shorten(kr.Label, MaxLabelLength)).ToList();
        var left = Math.Max(60, 12 + labels.Select(l => p.Width(l, TickSize)).DefaultIfEmpty(0).Max());
        var area = new SKRect(left, TrendHeight + 32, Width - 16, Height - 38);
        p.Text(ProgressTitle(keyResults.Count), area.MidX, TrendHeight + 15, 13, ChartPainter.Ink, SKTextAlign.Center);

        // 0–112 %: room right of a full bar for its label.
        float X(double percent) => (float)(area.Left + percent / 112 * area.Width);
        for (var percent = 0; percent <= 100; percent += 25)
        {
            p.GridLine(X(percent), area.Top, X(percent), area.Bottom);
            p.Text(string.Create(CultureInfo.InvariantCulture, $"{percent}%"), X(percent), area.Bottom + 12, TickSize, ChartPainter.Ink, SKTextAlign.Center);
        }

        if (shown.Count == 0)
        {
            p.Frame(area);
            p.Note("No key results", area);
            return;
        }

        // The first key result on top, as a reader scans a list; a few bars keep the thickness of many.
        var slots = Math.Max(shown.Count, 6);
        var slot = area.Height / slots;
        for (var i = 0; i < shown.Count; i++)
        {
            var middle = area.Top + (i + 0.5f) * slot;
            p.GridLine(area.Left, middle, area.Right, middle);
            p.Line(area.Left - 4, middle, area.Left, middle, ChartPainter.Ink, 1);
            p.Text(labels[i], area.Left - 7, middle, TickSize, ChartPainter.Ink, SKTextAlign.Right);
            var percent = Percent(shown[i].Progress);
            p.Rectangle(new SKRect(X(0), middle - 0.35f * slot, X(percent), middle + 0.35f * slot), BarColor);
            p.Text(string.Create(CultureInfo.InvariantCulture, $"{percent:0}%"), X(percent) + 4, middle, TickSize, ChartPainter.Ink);
        }

        for (var i = 0; i < shown.Count; i++)
        {
            if (shown[i].Expected is { } expected)
            {
                var middle = area.Top + (i + 0.5f) * slot;
                p.Line(X(Percent(expected)), middle - 9, X(Percent(expected)), middle + 9, ExpectedColor, 3);
            }
        }

        p.Frame(area);
        if (shown.Any(kr => kr.Expected is not null))
        {
            p.Text("| marks the progress expected by now", area.MidX, area.Bottom + 29, 11, ChartPainter.Ink, SKTextAlign.Center);
        }
    }

    private static double Percent(double fraction) => double.IsFinite(fraction) ? Math.Clamp(fraction, 0, 1) * 100 : 0;

    private static string Shorten(string label, int length) =>
        label.Length <= length ? label : string.Concat(label.AsSpan(0, length - 1), "…");
}
