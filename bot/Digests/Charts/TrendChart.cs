namespace AlignmentBot.Bot.Digests.Charts;

/// <summary>One closed pulse run on the trend chart: the alignment score (1–5) and participation (0–1); null where withheld.</summary>
public sealed record TrendPoint(string Label, double? AlignmentScore, double? Participation);

/// <summary>One key result's bar: progress (0–1) and, when it has a due date, the progress expected by now.</summary>
public sealed record ProgressBar(string Label, double Progress, double? Expected);

/// <summary>What a digest's chart shows: the last runs' alignment score and participation, and key-result progress bars.</summary>
public sealed record TrendChartData(string Title, IReadOnlyList<TrendPoint> Runs, IReadOnlyList<ProgressBar> KeyResults);

/// <summary>
/// Draws a digest's chart and publishes it at an unguessable URL that expires, so Teams can fetch and show it.
/// </summary>
public interface ITrendCharts
{
    /// <summary>The absolute URL of the published image.</summary>
    /// <remarks>
    /// The URL is under <c>Charts:PublicBaseUrl</c> and works for <c>Charts:ExpiryDays</c>; anyone holding it can fetch
    /// the image, so treat it like a secret (put it in the card, not in a log). Runs are drawn oldest first, the last 8
    /// of them; key results in the order given, the first 12 of them (the chart counts the rest).
    /// </remarks>
    Task<Uri> PublishAsync(long tenantId, TrendChartData data, CancellationToken ct);
}
