using System.Diagnostics;
using System.Globalization;
using AlignmentBot.Scheduler.People.Import;

namespace AlignmentBot.Bench.People;

/// <summary>
/// The people file's checks (every rule, the manager-loop walk included) on files of 12,500 to 50,000 rows, no
/// database: linear time shows as a flat cost per row. Prints one line per size with the median of 5 runs.
/// </summary>
public static class PeopleImportBench
{
    public static async Task<int> RunAsync(TextWriter output)
    {
        foreach (var rows in new[] { 12_500, 25_000, 50_000 })
        {
            var (file, directory) = Organisation(rows);
            PeopleValidator.Check(file, directory); // warm-up
            var times = new List<double>();
            for (var i = 0; i < 5; i++)
            {
                var watch = Stopwatch.StartNew();
                var (plan, problems) = PeopleValidator.Check(file, directory);
                watch.Stop();
                if (plan is null)
                {
                    await output.WriteLineAsync($"unexpected problems: {problems[0].Reason}");
                    return 1;
                }

                times.Add(watch.Elapsed.TotalMilliseconds);
            }

            var median = times.Order().ElementAt(times.Count / 2);
            await output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
                $"people-import: rows={rows} median_ms={median:F1} us_per_row={median * 1000 / rows:F2}"));
        }

        return 0;
    }

    /// <summary>A tree of managers ten wide (person i reports to i / 10), zones as IANA and Windows names, 100 teams.</summary>
    private static (List<PersonRow> File, PeopleDirectory Directory) Organisation(int count)
    {
        var people = new Dictionary<string, long>(StringComparer.Ordinal);
        var managers = new Dictionary<long, long?>();
        var teams = Enumerable.Range(0, 100).ToDictionary(t => $"team {t}", t => (long)t + 1, StringComparer.Ordinal);
        var file = new List<PersonRow>(count);
        for (var i = 1; i <= count; i++)
        {
            people[$"p{i}@example.com"] = i;
            managers[i] = null;
        }

        for (var i = 1; i <= count; i++)
        {
            file.Add(new PersonRow($"line {i + 1}", i + 1)
            {
                Person = $"p{i}@example.com",
                Manager = i / 10 >= 1 ? $"p{i / 10}@example.com" : null,
                TimeZone = i % 2 == 0 ? "Europe/Berlin" : "Tokyo Standard Time",
                Teams = [($"Team {i % 100}", i % 10 == 0 ? "manager" : "member")],
                Leader = i < 5 ? "yes" : null,
            });
        }

        return (file, new PeopleDirectory(people, managers, teams));
    }
}
