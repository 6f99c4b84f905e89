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

/// <summary>
/// The answers to "Did it help?" after its run closed: the counts only when at least the survey's score threshold
/// answered (the threshold is applied in SQL); otherwise <see cref="HiddenBecause"/> says why, never a number.
/// </summary>
public sealed record FocusFollowupResult(int? Answers, int? Yes, int? Somewhat, int? No, int Threshold)
{
    public string? HiddenBecause => Answers is null
        ? $"Fewer than {Threshold} people answered “Did it help?”, so nothing is shown: results for fewer could identify them."
        : null;
}
