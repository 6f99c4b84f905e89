namespace AlignmentBot.Scheduler.FocusAreas;

/// <summary>The drivers a manager may pick for a team: from its latest closed run, only those whose result is shown; else why none.</summary>
public sealed record DriverChoices(long? RunId, string? Survey, IReadOnlyList<DriverResult> Drivers, string? NoneBecause);
