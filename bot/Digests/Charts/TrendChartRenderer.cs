using System.Globalization;
using ScottPlot;
using SkiaSharp;

namespace AlignmentBot.Bot.Digests.Charts;

/// <summary>
/// Draws a digest's chart as one PNG sized for a Teams card: the last runs' alignment score (left axis, 1–5) and
/// participation (right axis, %) on top, key-result progress bars below.
/// </summary>
internal static class TrendChartRenderer
{
    public const int Width = 800;
    public const int Height = 450;
    public const int MaxRuns = 8;

    /// <summary>More bars than this get too thin to read in a card; the rest are counted in the panel's title.</summary>
    public const int MaxBars = 12;

    private const int TrendHeight = 215;
    private const int MaxLabelLength = 30;

    private static readonly Color ScoreColor = Color.FromHex("#2B6CB0");
    private static readonly Color ParticipationColor = Color.FromHex("#DD6B20");
    private static readonly Color BarColor = Color.FromHex("#68A37C");
    private static readonly Color ExpectedColor = Color.FromHex("#1A202C");

    public static byte[] Render(TrendChartData data)
    {
        using var surface = DrawSurface(data);
        using var pixels = surface.PeekPixels();
        return PngWriter.Encode(pixels);
    }

    /// <summary>The chart's pixels, not yet encoded (the chart benchmark times drawing and encoding apart).</summary>
    internal static SKSurface DrawSurface(TrendChartData data)
    {
        ChartFont.EnsureRegistered();
        // Opaque: drawn on white, and encoded without an alpha channel (PngWriter).
        var surface = SKSurface.Create(new SKImageInfo(Width, Height, SKColorType.Rgba8888, SKAlphaType.Opaque));
        surface.Canvas.Clear(SKColors.White);
        using (var trend = Trend(data))
        {
            Draw(surface.Canvas, trend, top: 0, TrendHeight);
        }

        using (var progress = Progress(data.KeyResults))
        {
            Draw(surface.Canvas, progress, top: TrendHeight, Height - TrendHeight);
        }

        return surface;
    }

    // A plot fills its whole canvas with its background when it renders: each panel draws clipped to its own band,
    // with the origin moved to the band's top, straight onto the one surface (no surface and copy per panel).
    private static void Draw(SKCanvas canvas, Plot plot, int top, int height)
    {
        canvas.Save();
        canvas.ClipRect(new SKRect(0, top, Width, top + height));
        canvas.Translate(0, top);
        plot.Render(canvas, Width, height);
        canvas.Restore();
    }

    private static Plot Trend(TrendChartData data)
    {
        var plot = NewPlot();
        plot.Title(data.Title, size: 15);
        var runs = data.Runs.TakeLast(MaxRuns).ToList();

        plot.Axes.Left.Label.Text = "Alignment (1–5)";
        plot.Axes.Left.Label.FontSize = 13;
        plot.Axes.Left.Label.ForeColor = ScoreColor;
        plot.Axes.Left.SetTicks([1, 2, 3, 4, 5], ["1", "2", "3", "4", "5"]);
        plot.Axes.SetLimitsY(0.7, 5.3, plot.Axes.Left);
        plot.Axes.Right.Label.Text = "Participation";
        plot.Axes.Right.Label.FontSize = 13;
        plot.Axes.Right.Label.ForeColor = ParticipationColor;
        plot.Axes.Right.SetTicks([0, 25, 50, 75, 100], ["0%", "25%", "50%", "75%", "100%"]);
        plot.Axes.SetLimitsY(-7.5, 107.5, plot.Axes.Right);
        plot.Axes.SetLimitsX(-0.5, Math.Max(runs.Count, 1) - 0.5);
        plot.Axes.Bottom.SetTicks([.. runs.Select((_, i) => (double)i)], [.. runs.Select(r => Shorten(r.Label, 14))]);

        if (runs.Count == 0)
        {
            Note(plot, "No closed pulse runs yet");
            return plot;
        }

        AddSeries(plot, [.. runs.Select(r => r.AlignmentScore)], ScoreColor, plot.Axes.Left);
        AddSeries(plot, [.. runs.Select(r => r.Participation * 100)], ParticipationColor, plot.Axes.Right);
        if (runs.Any(r => r.AlignmentScore is null || r.Participation is null))
        {
            plot.Axes.Bottom.Label.Text = "A gap is a run whose result was withheld (too few answers to show).";
            plot.Axes.Bottom.Label.FontSize = 11;
            plot.Axes.Bottom.Label.Bold = false;
        }

        return plot;
    }

    private static void AddSeries(Plot plot, IReadOnlyList<double?> values, Color color, IYAxis axis)
    {
        foreach (var stretch in Stretches(values))
        {
            var line = plot.Add.Scatter(stretch, color);
            line.Axes.YAxis = axis;
            line.LineWidth = 2.5f;
            line.MarkerSize = 8;
        }
    }

    /// <summary>One line per stretch of shown values, so a withheld run is a gap in the line, never a zero.</summary>
    internal static List<Coordinates[]> Stretches(IReadOnlyList<double?> values)
    {
        var stretches = new List<Coordinates[]>();
        var stretch = new List<Coordinates>();
        for (var i = 0; i <= values.Count; i++)
        {
            if (i < values.Count && values[i] is { } value && double.IsFinite(value))
            {
                stretch.Add(new Coordinates(i, value));
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

    private static Plot Progress(IReadOnlyList<ProgressBar> keyResults)
    {
        var plot = NewPlot();
        var shown = keyResults.Take(MaxBars).ToList();
        plot.Title(ProgressTitle(keyResults.Count), size: 13);
        plot.Axes.SetLimitsX(0, 112);
        plot.Axes.Bottom.SetTicks([0, 25, 50, 75, 100], ["0%", "25%", "50%", "75%", "100%"]);
        if (shown.Count == 0)
        {
            plot.Axes.SetLimitsY(0, 1);
            plot.Axes.Left.SetTicks([], []);
            Note(plot, "No key results");
            return plot;
        }

        // The first key result on top, as a reader scans a list; a few bars keep the thickness of many.
        var slots = Math.Max(shown.Count, 6);
        double Position(int index) => slots - 1 - index;
        var bars = shown.Select((kr, i) =>
        {
            var percent = Percent(kr.Progress);
            return new Bar
            {
                Position = Position(i),
                Value = percent,
                Size = 0.7,
                FillColor = BarColor,
                LineWidth = 0,
                Label = string.Create(CultureInfo.InvariantCulture, $"{percent:0}%"),
            };
        });
        plot.Add.Bars(bars.ToArray()).Horizontal = true;

        foreach (var (kr, i) in shown.Select((kr, i) => (kr, i)).Where(x => x.kr.Expected is not null))
        {
            var marker = plot.Add.Marker(Percent(kr.Expected!.Value), Position(i), MarkerShape.VerticalBar, 18, ExpectedColor);
            marker.MarkerLineWidth = 3;
        }

        if (shown.Any(kr => kr.Expected is not null))
        {
            plot.Axes.Bottom.Label.Text = "| marks the progress expected by now";
            plot.Axes.Bottom.Label.FontSize = 11;
            plot.Axes.Bottom.Label.Bold = false;
        }

        plot.Axes.Left.SetTicks([.. shown.Select((_, i) => Position(i))], [.. shown.Select(kr => Shorten(kr.Label, MaxLabelLength))]);
        plot.Axes.SetLimitsY(-0.6, slots - 0.4);
        return plot;
    }

    private static void Note(Plot plot, string text)
    {
        var note = plot.Add.Annotation(text, Alignment.MiddleCenter);
        note.LabelFontSize = 14;
        note.LabelBackgroundColor = Colors.White;
        note.LabelBorderColor = Colors.Gray;
        note.LabelShadowColor = Colors.Transparent;
    }

    private static Plot NewPlot()
    {
        var plot = new Plot();
        plot.Font.Set(ChartFont.Name);
        plot.Axes.Bottom.MajorTickStyle.Length = 0;
        return plot;
    }

    private static double Percent(double fraction) => double.IsFinite(fraction) ? Math.Clamp(fraction, 0, 1) * 100 : 0;

    private static string Shorten(string label, int length) =>
        label.Length <= length ? label : string.Concat(label.AsSpan(0, length - 1), "…");
}
