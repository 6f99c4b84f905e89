namespace AlignmentBot.Scheduler.People;

/// <summary>A person as the admin API shows them: effective values, and which source each came from.</summary>
public sealed record PersonView(long Id, string PlatformUserId, string DisplayName, string? Email, string? TimeZone, string? Manager, bool Active,
    bool OptedOutOfPulses, bool Leader, string? Department, string? JobTitle, IReadOnlyList<string> Teams, IReadOnlyDictionary<string, string> Sources);
