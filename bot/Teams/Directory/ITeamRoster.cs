namespace AlignmentBot.Bot.Teams.Directory;

/// <summary>A team's members as the platform lists them (all pages).</summary>
public interface ITeamRoster
{
    IAsyncEnumerable<Member> GetMembersAsync(string serviceUrl, string teamId, CancellationToken ct);
}
