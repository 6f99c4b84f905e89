using AlignmentBot.Bot.Digests.Charts;
using AlignmentBot.Tests.Support;
using SkiaSharp;

namespace AlignmentBot.Tests.Digests;

/// <summary>The digest chart as a PNG: its size, with and without data, its gaps, and its text.</summary>
public class TrendChartRendererTests
{
    private static readonly byte[] PngSignature = [0x89, (byte)'P', (byte)'N', (byte)'G', 0x0D, 0x0A, 0x1A, 0x0A];

    public static TrendChartData Sample(int keyResults = 4) => new(
        "Platform — weekly digest",
        [
            new TrendPoint("6 Jan", 3.4, 0.62),
            new TrendPoint("20 Jan", null, 0.31),
            new TrendPoint("3 Feb", 3.9, 0.77),
            new TrendPoint("17 Feb", 4.1, null),
            new TrendPoint("3 Mar", 4.2, 0.83),
        ],
        [.. Enumerable.Range(1, keyResults).Select(i => new ProgressBar($"Key result {i}", i / (double)keyResults, i % 2 == 0 ? 0.5 : null))]);

    private static Png AssertValidPng(byte[] bytes)
    {
        Assert.That(bytes.Take(8), Is.EqualTo(PngSignature), "the PNG signature");
        Assert.That(bytes.AsSpan(bytes.Length - 8, 4).ToArray(), Is.EqualTo("IEND"u8.ToArray()), "the image ends with its IEND chunk");
        var png = Png.Read(bytes);
        Assert.That((png.Width, png.Height), Is.EqualTo((TrendChartRenderer.Width, TrendChartRenderer.Height)));
        Assert.That(png.Pixels, Has.Count.EqualTo(png.Width * png.Height), "every row decodes");
        return png;
    }

    private static int DarkPixels(Png png) => DarkPixels(png, 0, 0, png.Width, png.Height);

    /// <summary>Dark pixels in the rectangle from (x0, y0) to (x1, y1), right and bottom edges excluded.</summary>
    private static int DarkPixels(Png png, int x0, int y0, int x1, int y1) =>
        Enumerable.Range(y0, y1 - y0).Sum(y => Enumerable.Range(x0, x1 - x0).Count(x => png.Pixels[y * png.Width + x] is { R: < 100, G: < 100, B: < 100 }));

    [Test]
    public void A_chart_with_runs_and_key_results_is_an_800_by_450_png()
    {
        var png = AssertValidPng(TrendChartRenderer.Render(Sample()));

        Assert.That(png.Pixels.Select(p => p.A), Has.All.EqualTo(255), "opaque, so it reads on Teams' dark theme too");
        Assert.That(DarkPixels(png), Is.GreaterThan(2000), "axes, labels and title are drawn");
    }

    [Test]
    public void A_chart_without_runs_or_key_results_is_still_a_png_of_the_same_size_that_says_so()
    {
        var empty = AssertValidPng(TrendChartRenderer.Render(new TrendChartData("New team", [], [])));

        Assert.That(DarkPixels(empty, 250, 4, 550, 32), Is.GreaterThan(40), "the title");
        Assert.That(DarkPixels(empty, 250, 85, 530, 132), Is.GreaterThan(100), "'No closed pulse runs yet' in the middle of the trend panel");
        Assert.That(DarkPixels(empty, 300, 300, 550, 360), Is.GreaterThan(100), "'No key results' in the middle of the progress panel");
    }

    [Test]
    public void Many_runs_and_key_results_still_give_one_chart_of_the_same_size()
    {
        var runs = Enumerable.Range(1, 20).Select(i => new TrendPoint($"Run {i}", 1 + i % 5, i % 10 / 10.0)).ToList();
        var data = new TrendChartData(new string('x', 200), runs, Sample(keyResults: 40).KeyResults);

        AssertValidPng(TrendChartRenderer.Render(data));
    }

    [Test]
    public void A_withheld_run_is_a_gap_in_the_line_not_a_zero()
    {
        var stretches = TrendChartRenderer.Stretches([3.4, null, 3.9, 4.1, null, null, 4.4]);

        Assert.That(stretches.Select(s => s.Select(c => (c.X, c.Y))), Is.EqualTo(new[]
        {
            new[] { (0d, 3.4) },
            new[] { (2d, 3.9), (3d, 4.1) },
            new[] { (6d, 4.4) },
        }));
    }

    [Test]
    public void Key_results_beyond_twelve_are_counted_in_the_panel_title()
    {
        Assert.That(TrendChartRenderer.ProgressTitle(12), Is.EqualTo("Key-result progress"));
        Assert.That(TrendChartRenderer.ProgressTitle(15), Is.EqualTo("Key-result progress (+3 more)"));
    }

    [Test]
    public void Charts_draw_text_with_the_font_shipped_in_the_assembly_not_a_system_font()
    {
        var typeface = ChartFont.Typeface;

        Assert.That(typeface.FamilyName, Is.EqualTo("DejaVu Sans"), "a machine without fonts would give an empty typeface");
        Assert.That(typeface.GlyphCount, Is.GreaterThan(1000));
    }

    [Test]
    public void The_png_writer_gives_back_every_pixel_exactly_as_skias_own_decoder_reads_it()
    {
        // Noise defeats the Sub filter's runs, stripes exercise them, the last rows repeat (the Up filter's rows);
        // 257 wide so a row is no power of two.
        using var surface = SKSurface.Create(new SKImageInfo(257, 31, SKColorType.Rgba8888, SKAlphaType.Opaque));
        var random = new Random(7);
        for (var y = 0; y < 31; y++)
        {
            for (var x = 0; x < 257; x++)
            {
                var color = y < 15 ? new SKColor((byte)random.Next(256), (byte)random.Next(256), (byte)random.Next(256)) : new SKColor((byte)(x / 40 * 40), 200, (byte)Math.Min(y, 24));
                surface.Canvas.DrawPoint(x, y, color);
            }
        }

        using var pixels = surface.PeekPixels();
        var png = PngWriter.Encode(pixels);
        using var decoded = SKBitmap.Decode(png);

        Assert.That((decoded.Width, decoded.Height), Is.EqualTo((257, 31)));
        var mismatches = Enumerable.Range(0, 31).SelectMany(y => Enumerable.Range(0, 257).Select(x => (x, y)))
            .Count(p => decoded.GetPixel(p.x, p.y) != pixels.GetPixelColor(p.x, p.y));
        Assert.That(mismatches, Is.Zero, "a lossless encoding");
    }
}
