namespace AlignmentBot.Scheduler.Okrs.Dependencies;

/// <summary>A key result as one end of a dependency: enough to name it ("Platform · Uptime", owner) and reach its owner.</summary>
public sealed record DependencyEnd(long Id, string? Key, string Title, long? TeamId, string? Team, long? OwnerId, string? Owner)
{
    /// <summary>"Platform · Uptime" (or just the title for a company key result).</summary>
    public string Name => Team is { } team ? $"{team} · {Title}" : Title;
}

/// <summary>
/// One dependency as every view shows it: <see cref="Waiting"/> waits for <see cref="WaitedOn"/>, with its state by
/// <see cref="KeyResultRules.Dependency"/> and since when (<see cref="Since"/>, null when fine).
/// </summary>
/// <remarks>
/// <para><c>WaitedOnHealth</c>: the waited-on key result's health (stale overrides confidence).</para>
/// <para><c>WaitedOnOverdueSince</c>: when its check-in became (or becomes) overdue.</para>
/// <para><c>WaitedOnSnoozedUntil</c>: its owner's snooze, which quiets nudges about it (this one included).</para>
/// </remarks>
public sealed record DependencyLink(
    long Id,
    long TenantId,
    DependencyEnd Waiting,
    DependencyEnd WaitedOn,
    DateOnly? NeededBy,
    string? Note,
    DateTimeOffset CreatedAt,
    KeyResultHealth WaitedOnHealth,
    double WaitedOnProgress,
    DateTimeOffset WaitedOnOverdueSince,
    DateTimeOffset? WaitedOnSnoozedUntil,
    DependencyState State,
    DateTimeOffset? Since)
{
    public bool Slipping => State != DependencyState.Fine;

    public bool WaitedOnDone => WaitedOnProgress >= 1;

    /// <summary>Why it is in its state, in a word or two: "stale", "off track", "late", or how the waited-on key result stands.</summary>
    public string Why => WaitedOnDone ? "done"
        : State == DependencyState.Late ? "late"
        : KeyResultRules.Describe(WaitedOnHealth);
}
