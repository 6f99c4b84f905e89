namespace AlignmentBot.Bot.People;

/// <summary>One person's effective values, as <c>me</c> shows them.</summary>
public sealed record MeView
{
    public string DisplayName { get; init; } = "";
    public string? Email { get; init; }
    public string? TimeZone { get; init; }
    public string TenantZone { get; init; } = "UTC";
    public string Platform { get; init; } = "teams";
    public string? Manager { get; init; }
    public bool Leader { get; init; }
    public DateTime? AwayUntil { get; init; }
    public bool OptedOutOfPulses { get; init; }
    public string? Department { get; init; }
    public string? JobTitle { get; init; }
    public string[] Teams { get; init; } = [];
}
