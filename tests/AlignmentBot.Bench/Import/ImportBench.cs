using System.Diagnostics;
using System.Globalization;
using AlignmentBot.Scheduler.Okrs.Import;
using AlignmentBot.Tests.Support;

namespace AlignmentBot.Bench.Import;

/// <summary>
/// The OKR import's checks (every rule, parents, dependencies, loops) on files shaped to be their worst case, doubling
/// the rows up to the cap: linear checks take about twice as long per doubling, quadratic ones four times. No database.
/// </summary>
public static class ImportBench
{
    private const int Repeats = 7;

    public static async Task<int> RunAsync(TextWriter log)
    {
        foreach (var closed in new[] { false, true })
        {
            double? previous = null;
            for (var rows = ImportValidator.MaxRows / 8; rows <= ImportValidator.MaxRows; rows *= 2)
            {
                var file = ImportShapes.Chain(rows, closed);
                ImportValidator.Check(file, ImportShapes.Directory); // warm up
                var times = new List<double>();
                for (var i = 0; i < Repeats; i++)
                {
                    var watch = Stopwatch.StartNew();
                    ImportValidator.Check(file, ImportShapes.Directory);
                    times.Add(watch.Elapsed.TotalMilliseconds);
                }

                times.Sort();
                var median = times[Repeats / 2];
                var ratio = previous is { } p ? (median / p).ToString("0.0", CultureInfo.InvariantCulture) : "-";
                await log.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
                    $"import: shape={(closed ? "loops" : "chain")} rows={rows} median_ms={median:0.0} vs_half={ratio}"));
                previous = median;
            }
        }

        return 0;
    }
}
