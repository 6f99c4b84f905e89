namespace AlignmentBot.Bot.Directory;

/// <summary>A team's members as the platform lists them (all pages); null when the platform could not say.</summary>
public interface ITeamRoster
{
    Task<IReadOnlyList<Member>?> GetMembersAsync(string serviceUrl, string teamId, CancellationToken ct);
}
