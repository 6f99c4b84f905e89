namespace AlignmentBot.Bot.Slack;

/// <summary>
/// One <c>users.list</c> read: how many people were stored, and the listed ids that are not people (bots, Slackbot,
/// deactivated accounts), which no team keeps. <see cref="Error"/> is Slack's error when the directory could not be read.
/// </summary>
public sealed record SlackPeopleRead(int Stored, IReadOnlySet<string> NotPeople, string? Error)
{
    public bool Ok => Error is null;

    public static SlackPeopleRead Failed(string error) => new(0, new HashSet<string>(StringComparer.Ordinal), error);
}
