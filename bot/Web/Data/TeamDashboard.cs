using AlignmentBot.Scheduler.Digests;
using AlignmentBot.Scheduler.Pulses;

namespace AlignmentBot.Bot.Web.Data;

/// <summary>
/// Everything one team's dashboard shows, read through the very services chat uses — never a copy of their SQL: the
/// weekly digest's builder (key results, expected progress, staleness, dependencies, wins, the line of sight, pulse
/// runs with the score threshold applied in SQL) and, for the manager view, the <c>results</c> command's per-question
/// results (the thresholds, comments only from the comment threshold, results only after close). Check-ins are not
/// anonymous and come from <see cref="CheckinHistory"/>.
/// </summary>
public sealed class TeamDashboard(DigestBuilder digests, PulseResults results, CheckinHistory checkins, TimeProvider time)
{
    /// <summary>A team's dashboard: the digest as of now, and the latest run's results when the viewer may read them.</summary>
    public sealed record Content(TeamDigest Digest, PulseRunLine? LatestRun, GroupResult? LatestResults)
    {
        /// <summary>Each key result's recent check-ins, newest first.</summary>
        public IReadOnlyList<CheckinHistory.Checkin> Checkins { get; init; } = [];
    }

    /// <summary>The dashboard of a team of the tenant, or null when it is gone.</summary>
    public async Task<Content?> LoadAsync(long tenantId, long teamId, TeamView view, CancellationToken ct)
    {
        var now = time.GetUtcNow();
        if (await digests.BuildAsync(tenantId, [teamId], now, ct) is not [var digest])
        {
            return null;
        }

        var latest = digest.Latest;
        GroupResult? latestResults = null;
        if (view == TeamView.Manager && latest is not null)
        {
            var groups = await results.ForTeamsAsync(latest.RunId, [(teamId, digest.Team)], ct);
            latestResults = groups is [var group] ? group : null;
        }

        return new Content(digest, latest, latestResults) { Checkins = await checkins.ForTeamAsync(tenantId, teamId, now, ct) };
    }
}
