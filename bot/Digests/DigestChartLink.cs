using AlignmentBot.Bot.Digests.Charts;
using AlignmentBot.Scheduler.Digests;

namespace AlignmentBot.Bot.Digests;

/// <summary>
/// Publishes a team digest's trend chart and gives its link. A digest never waits on its picture: when publishing
/// fails, the card goes out without the image (its text already says what the chart would show).
/// </summary>
public sealed class DigestChartLink(ITrendCharts charts, ILogger<DigestChartLink> logger)
{
    public async Task<Uri?> PublishAsync(long tenantId, TeamDigest digest, CancellationToken ct)
    {
        try
        {
            return await charts.PublishAsync(tenantId, Data(digest), ct);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            logger.LogWarning(ex, "The trend chart for team {TeamId} could not be published; the digest goes out without it.", digest.TeamId);
            return null;
        }
    }

    /// <summary>What the digest's chart shows.</summary>
    internal static TrendChartData Data(TeamDigest digest) =>
        new($"{digest.Team}: alignment and progress",
            [.. digest.Runs.Select(r => new TrendPoint(DigestText.Day(r.ClosedAt, digest.TimeZone), (double?)r.AlignmentScore, (double?)r.Participation / 100))],
            [.. DigestCards.Highlighted(digest).Select(k => new ProgressBar(k.Title, k.Progress, k.Expected))]);
}
