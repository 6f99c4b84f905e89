namespace AlignmentBot.Scheduler.Okrs.Import;

public sealed record PlannedObjective(string Key, string Title, long? TeamId, string? ParentKey, string Cycle);

public sealed record PlannedKeyResult(
    string Key, string ObjectiveKey, string Title, long OwnerId, decimal Start, decimal Target, decimal? Current, string Unit,
    string Direction, int? Confidence, int CadenceDays, DateOnly? StartsOn, DateOnly? DueOn);

/// <summary>What a valid file asks for, with every reference resolved to an id.</summary>
public sealed record ImportPlan(IReadOnlyList<PlannedObjective> Objectives, IReadOnlyList<PlannedKeyResult> KeyResults);

/// <summary>
/// The tenant as the import needs it. Teams are found by their platform id or their name, people by their platform id
/// or e-mail (case-insensitive); a name or e-mail that fits several is ambiguous and refused rather than guessed.
/// </summary>
public sealed record ImportDirectory(
    IReadOnlyDictionary<string, long[]> Teams,
    IReadOnlyDictionary<string, long[]> People,
    IReadOnlyDictionary<string, string?> ExistingObjectiveParents);
