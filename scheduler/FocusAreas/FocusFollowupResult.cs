namespace AlignmentBot.Scheduler.FocusAreas;

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
