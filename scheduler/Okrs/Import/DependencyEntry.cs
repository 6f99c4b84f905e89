namespace AlignmentBot.Scheduler.Okrs.Import;

/// <summary>One key result a row waits for, as the file gives it: its key, and optionally the day it is needed by and a note.</summary>
public sealed record DependencyEntry(string Key, string? NeededBy, string? Note);
