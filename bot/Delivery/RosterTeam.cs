namespace AlignmentBot.Bot.Delivery;

/// <summary>One of a tenant's teams whose roster is read: its row, its platform id (Teams team id, Slack channel id) and the host serving it (Teams' serviceUrl; null for Slack).</summary>
public sealed record RosterTeam(long TeamId, string ExternalId, string? Host);
