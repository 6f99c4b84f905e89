namespace AlignmentBot.Scheduler.People.Import;

/// <summary>A checked file: what to write, and the rows naming people the bot has not met yet (skipped, reported).</summary>
public sealed record PeoplePlan(IReadOnlyList<PlannedPerson> People, IReadOnlyList<int> NotYetKnownLines);
