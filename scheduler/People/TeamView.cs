namespace AlignmentBot.Scheduler.People;

/// <summary>A team as the admin API shows it: its size and its managers (the one rule).</summary>
public sealed record TeamView(long Id, string Name, string? ExternalId, int Members, IReadOnlyList<string> Managers);
