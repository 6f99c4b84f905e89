namespace AlignmentBot.Scheduler.FocusAreas;

/// <summary>
/// A team's active focus area as the digest, the dashboard and the pulse card show it: the driver, the team's
/// aggregate result that prompted it (shown at or above the threshold when it was set), and the manager's plan.
/// </summary>
/// <remarks>
/// <para><c>SourceMean</c>, <c>SourceFavourable</c>: the driver's team score (1–5) and favourable share in <c>Survey</c>'s run.</para>
/// <para><c>Followup</c>: "Did it help?" once its run closed; null before that.</para>
/// </remarks>
public sealed record FocusLine(
    long Id,
    long TeamId,
    string Driver,
    string Survey,
    decimal SourceMean,
    decimal? SourceFavourable,
    string Plan,
    string? SetBy,
    DateTimeOffset SetAt,
    FocusFollowupResult? Followup);
