namespace AlignmentBot.Scheduler.People.Import;

/// <summary>People and teams of the tenant as the checks need them: every way a file may name them, lower-cased.</summary>
public sealed record PeopleDirectory(IReadOnlyDictionary<string, long> People, IReadOnlyDictionary<long, long?> Managers, IReadOnlyDictionary<string, long> Teams);
