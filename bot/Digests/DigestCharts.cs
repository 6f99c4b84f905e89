using AlignmentBot.Bot.Digests.Charts;
using AlignmentBot.Scheduler.Digests;

namespace AlignmentBot.Bot.Digests;

/// <summary>
/// Publishes a team digest's trend chart. A digest never waits on its picture: when no chart service is registered,
/// or publishing fails, the card goes out without the image (its text already says what the chart would show).
/// </summary>
public sealed class DigestCharts(IEnumerable<ITrendCharts> charts, ILogger<DigestCharts> logger)
{
    private readonly ITrendCharts? _charts = charts.LastOrDefault();

    public async Task<Uri?> PublishAsync(long tenantId, TeamDigest digest, CancellationToken ct)
    {
        if (_charts is null)
        {
            return null;
        }

        var data = new TrendChartData($"{digest.Team}: alignment and progress",
            [.. digest.Runs.Select(r => new TrendPoint(DigestText.Day(r.ClosedAt, digest.TimeZone), (double?)r.AlignmentScore, (double?)r.Participation / 100))],
            [.. DigestCards.Highlighted(digest).Select(k => new ProgressBar(k.Title, k.Progress, k.Expected))]);
        try
        {
            return await _charts.PublishAsync(tenantId, data, ct);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            logger.LogWarning(ex, "The trend chart for team {TeamId} could not be published; the digest goes out without it.", digest.TeamId);
            return null;
        }
    }
}
