using SkiaSharp;

namespace AlignmentBot.Bot.Digests.Charts;

/// <summary>
/// The few things a digest chart is made of — text (straight, turned, boxed), lines, markers and bars — drawn with
/// Skia straight onto one canvas, in the chart font. Not thread-safe: one painter per drawing.
/// </summary>
internal sealed class ChartPainter(SKCanvas canvas) : IDisposable
{
    public static readonly SKColor Ink = new(0x1A, 0x1A, 0x1A);
    private static readonly SKColor GridColor = new(0, 0, 0, 0x1A);
    private static readonly SKColor NoteBorder = new(0x80, 0x80, 0x80);

    private readonly Dictionary<float, SKFont> _fonts = [];
    private readonly SKPaint _fill = new() { IsAntialias = true, Style = SKPaintStyle.Fill };
    private readonly SKPaint _stroke = new() { IsAntialias = true, Style = SKPaintStyle.Stroke };

    public SKCanvas Canvas => canvas;

    public SKFont Font(float size)
    {
        if (!_fonts.TryGetValue(size, out var font))
        {
            _fonts[size] = font = new SKFont(ChartFont.Typeface, size) { Edging = SKFontEdging.Antialias, Subpixel = true };
        }

        return font;
    }

    public float Width(string text, float size) => Font(size).MeasureText(text);

    /// <summary>Text whose middle (vertically) is at <paramref name="y"/>.</summary>
    public void Text(string text, float x, float y, float size, SKColor color, SKTextAlign align = SKTextAlign.Left)
    {
        var font = Font(size);
        _fill.Color = color;
        canvas.DrawText(text, x, y - (font.Metrics.Ascent + font.Metrics.Descent) / 2, align, font, _fill);
    }

    /// <summary>Text read bottom to top (<paramref name="degrees"/> -90) or top to bottom (90), centred on the point.</summary>
    public void TurnedText(string text, float x, float y, float size, SKColor color, float degrees)
    {
        canvas.Save();
        canvas.Translate(x, y);
        canvas.RotateDegrees(degrees);
        Text(text, 0, 0, size, color, SKTextAlign.Center);
        canvas.Restore();
    }

    /// <summary>A note in a box in the middle of an area (an empty panel's "nothing yet").</summary>
    public void Note(string text, SKRect area)
    {
        const float size = 14;
        var box = SKRect.Create(0, 0, Width(text, size) + 16, size + 14);
        box.Offset(area.MidX - box.Width / 2, area.MidY - box.Height / 2);
        Rectangle(box, SKColors.White);
        Line(box.Left, box.Top, box.Right, box.Top, NoteBorder, 1);
        Line(box.Right, box.Top, box.Right, box.Bottom, NoteBorder, 1);
        Line(box.Right, box.Bottom, box.Left, box.Bottom, NoteBorder, 1);
        Line(box.Left, box.Bottom, box.Left, box.Top, NoteBorder, 1);
        Text(text, box.MidX, box.MidY, size, Ink, SKTextAlign.Center);
    }

    public void Line(float x0, float y0, float x1, float y1, SKColor color, float width)
    {
        _stroke.Color = color;
        _stroke.StrokeWidth = width;
        canvas.DrawLine(x0, y0, x1, y1, _stroke);
    }

    /// <summary>A faint line across the data area at one tick.</summary>
    public void GridLine(float x0, float y0, float x1, float y1) => Line(x0, y0, x1, y1, GridColor, 1);

    /// <summary>The data area's frame.</summary>
    public void Frame(SKRect area)
    {
        _stroke.Color = Ink;
        _stroke.StrokeWidth = 1;
        canvas.DrawRect(area, _stroke);
    }

    public void Rectangle(SKRect rect, SKColor color)
    {
        _fill.Color = color;
        canvas.DrawRect(rect, _fill);
    }

    /// <summary>A line through the points with a round marker on each.</summary>
    public void Series(IReadOnlyList<SKPoint> points, SKColor color, float width, float marker)
    {
        _stroke.Color = color;
        _stroke.StrokeWidth = width;
        _stroke.StrokeJoin = SKStrokeJoin.Round;
        if (points.Count > 1)
        {
            using var path = new SKPath();
            path.AddPoly([.. points], close: false);
            canvas.DrawPath(path, _stroke);
        }

        _fill.Color = color;
        foreach (var point in points)
        {
            canvas.DrawCircle(point, marker / 2, _fill);
        }
    }

    public void Dispose()
    {
        foreach (var font in _fonts.Values)
        {
            font.Dispose();
        }

        _fill.Dispose();
        _stroke.Dispose();
    }
}
