using AlignmentBot.Scheduler.Digests;
using AlignmentBot.Scheduler.Pulses;

namespace AlignmentBot.Bot.Web.Data;

/// <summary>
/// Everything one team's dashboard shows, read through the very services chat uses — never a copy of their SQL: the
/// weekly digest's builder (key results, expected progress, staleness, dependencies, pulse runs with the score
/// threshold applied in SQL) and, for the manager view, the <c>results</c> command's per-question results (the
/// thresholds, comments only from the comment threshold, results only after close).
/// </summary>
public sealed class TeamDashboard(DigestBuilder digests, PulseResults results, TimeProvider time)
{
    /// <summary>A team's dashboard: the digest as of now, and the latest run's results when the viewer may read them.</summary>
    public sealed record Content(TeamDigest Digest, PulseRunLine? LatestRun, GroupResult? LatestResults);

    /// <summary>The dashboard of a team of the tenant, or null when it is gone.</summary>
    public async Task<Content?> LoadAsync(long tenantId, long teamId, TeamView view, CancellationToken ct)
    {
        if (await digests.BuildAsync(tenantId, [teamId], time.GetUtcNow(), ct) is not [var digest])
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

        return new Content(digest, latest, latestResults);
    }
}
