using AlignmentBot.Scheduler.Digests;
using AlignmentBot.Scheduler.Okrs;

namespace AlignmentBot.Tests.Digests;

/// <summary>Digests built in memory at their largest: long titles, 40 key results, eight runs, 500 teams.</summary>
public static class DigestSamples
{
    private static readonly DateTimeOffset At = new(2026, 11, 30, 9, 0, 0, TimeSpan.Zero);

    private static readonly KeyResultHealth[] Healths = [KeyResultHealth.OnTrack, KeyResultHealth.AtRisk, KeyResultHealth.OffTrack, KeyResultHealth.Stale, KeyResultHealth.Unknown];

    public static TeamDigest Team(string name, int keyResults, int seed = 0)
    {
        var lines = Enumerable.Range(1, keyResults).Select(i => new KeyResultLine(i,
            $"Key result {i}: reduce the time from a customer's first contact to a resolved ticket across every region and channel",
            $"Objective {i % 5}: make support a reason customers stay with us", $"Owner with a long name {i}", i % 7 == 0,
            0, 1000, 10 * i, "tickets", i % 11, Healths[(i + seed) % Healths.Length], i / 50.0, 0.5, i % 3 - 1, 0.01 * (i % 4), i % 6 == 0, i % 9 == 0)).ToList();
        var runs = Enumerable.Range(0, TeamDigest.TrendRuns).Select(r => new PulseRunLine(r, 1, "Alignment pulse with a long descriptive name", At.AddDays(-14 * (TeamDigest.TrendRuns - 1 - r) - 4),
            12, r % 3 == 0 ? 4 : 9, r % 3 == 0 ? null : 3.5m + r / 10m, r % 3 == 0 ? null : 71.4m, r % 3 == 0 ? null : 12.5m, r > 1 ? 3.4m : null,
            r % 3 == 0 ? "Fewer than 5 people answered, so no score is shown: results for fewer could identify them." : null)).ToList();
        var objectives = Enumerable.Range(1, 12).Select(i => new ObjectiveLine($"Objective {i}: make support a reason customers stay with us", i % 2 == 0 ? "Grow revenue through retention" : null)).ToList();
        return new TeamDigest(seed, name, "Europe/Berlin", At, lines, objectives, runs);
    }

    public static IReadOnlyList<TeamDigest> Organisation(int teams) =>
        [.. Enumerable.Range(1, teams).Select(t => Team($"Team {t} of the customer experience organisation", 40, t))];

    /// <summary>A team's digest with many dependencies both ways (every state, long names), for the size of its "Blocked by" and "Blocking".</summary>
    public static TeamDigest WithDependencies(TeamDigest digest, IReadOnlyList<AlignmentBot.Scheduler.Okrs.Dependencies.DependencyLink> links) =>
        digest with { BlockedBy = links, Blocking = links };
}
