namespace AlignmentBot.Tests.Teams.Fakes;

/// <summary>One directory user as the fake Graph holds them.</summary>
public sealed record FakeGraphUser(string Id, string DisplayName, bool AccountEnabled = true, string? Department = null, string? JobTitle = null,
    string? ManagerId = null, string? MailboxTimeZone = null);
