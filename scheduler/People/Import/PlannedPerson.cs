namespace AlignmentBot.Scheduler.People.Import;

/// <summary>What the file says about one known person, checked: null means "not said".</summary>
public sealed record PlannedPerson(long PersonId, int Line, bool ManagerSaid, long? ManagerId, string? TimeZone,
    IReadOnlyList<(long TeamId, string Role)>? Teams, bool? Leader, bool? Active, bool? OptedOut);
