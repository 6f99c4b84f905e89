namespace AlignmentBot.Scheduler.Okrs.Import;

public sealed record PlannedObjective(string Key, string Title, long? TeamId, string? ParentKey, string Cycle);

public sealed record PlannedKeyResult(
    string Key, string ObjectiveKey, string Title, long OwnerId, decimal Start, decimal Target, decimal? Current, string Unit,
    string Direction, int? Confidence, int CadenceDays, DateOnly? StartsOn, DateOnly? DueOn);

/// <summary>Key result <c>From</c> waits for key result <c>To</c> (both by key).</summary>
public sealed record PlannedDependency(string From, string To, DateOnly? NeededBy, string? Note);

/// <summary>
/// What a valid file asks for, with every reference resolved to an id. <see cref="DependenciesOf"/> are the key results
/// whose dependencies the file gives: theirs become exactly <see cref="Dependencies"/>; others keep theirs.
/// </summary>
public sealed record ImportPlan(IReadOnlyList<PlannedObjective> Objectives, IReadOnlyList<PlannedKeyResult> KeyResults)
{
    public IReadOnlyList<string> DependenciesOf { get; init; } = [];
    public IReadOnlyList<PlannedDependency> Dependencies { get; init; } = [];
}

/// <summary>
/// The tenant as the import needs it. Teams are found by their platform id or their name, people by their platform id
/// or e-mail (case-insensitive); a name or e-mail that fits several is ambiguous and refused rather than guessed.
/// </summary>
public sealed record ImportDirectory(
    IReadOnlyDictionary<string, long[]> Teams,
    IReadOnlyDictionary<string, long[]> People,
    IReadOnlyDictionary<string, string?> ExistingObjectiveParents)
{
    /// <summary>Key results imported before, by key.</summary>
    public IReadOnlySet<string> ExistingKeyResults { get; init; } = new HashSet<string>();

    /// <summary>Dependencies stored now, by key (a key result without one as "#id"), to find loops through them.</summary>
    public IReadOnlyList<(string From, string To)> ExistingDependencies { get; init; } = [];
}
