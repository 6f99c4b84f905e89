namespace AlignmentBot.Scheduler.People;

/// <summary>One thing one source says about a person (a row of <c>person_facts</c>); a null value says "none".</summary>
public sealed record PersonFact(long PersonId, string Field, string Source, string? Value);
