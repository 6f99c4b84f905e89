using System.Globalization;
using AlignmentBot.Bot.Digests.Charts;

namespace AlignmentBot.Bench.Digest;

/// <summary>
/// Drawing alone: a digest's chart (8 runs, 12 bars) drawn many times, no database; the part of a digest's cost that
/// is CPU. With a path, the last drawing is saved there to look at.
/// </summary>
public static class ChartBench
{
    public static async Task<int> RunAsync(TextWriter output, string? savePath = null, int count = 200)
    {
        var data = new TrendChartData("Platform: alignment and progress",
            [.. Enumerable.Range(0, 8).Select(i => new TrendPoint($"{i + 1} Nov", i == 3 ? null : 3.5 + i * 0.1, 0.6 + i * 0.03))],
            [.. Enumerable.Range(0, 14).Select(i => new ProgressBar($"Key result {i} with a fairly long title", i / 14.0, i % 2 == 0 ? 0.5 : null))]);
        TrendChartRenderer.Render(data); // warm-up: fonts, JIT
        var times = new List<double>();
        var png = Array.Empty<byte>();
        for (var i = 0; i < count; i++)
        {
            var started = TimeProvider.System.GetTimestamp();
            png = TrendChartRenderer.Render(data);
            times.Add(TimeProvider.System.GetElapsedTime(started).TotalMilliseconds);
        }

        times.Sort();
        // CPU per chart, drawing and encoding apart: unlike the wall times above, these hold on a busy machine.
        var drawMs = CpuMs(count, () => TrendChartRenderer.DrawSurface(data).Dispose());
        using var surface = TrendChartRenderer.DrawSurface(data);
        using var pixels = surface.PeekPixels();
        var encodeMs = CpuMs(count, () => PngWriter.Encode(pixels));
        await output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
            $"chart: drawn {count} times, p50 {times[count / 2]:0.0} ms, p95 {times[(int)(count * 0.95)]:0.0} ms, png {png.Length} bytes; CPU per chart: draw {drawMs:0.00} ms, encode {encodeMs:0.00} ms"));
        if (savePath is not null)
        {
            await File.WriteAllBytesAsync(savePath, png);
        }

        return 0;
    }

    private static double CpuMs(int count, Action action)
    {
        var before = System.Diagnostics.Process.GetCurrentProcess().TotalProcessorTime;
        for (var i = 0; i < count; i++)
        {
            action();
        }

        return (System.Diagnostics.Process.GetCurrentProcess().TotalProcessorTime - before).TotalMilliseconds / count;
    }
}
