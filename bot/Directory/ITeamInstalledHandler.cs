namespace AlignmentBot.Bot.Directory;

/// <summary>Something a feature does when the bot is installed in a team (after the team and its roster are stored).</summary>
public interface ITeamInstalledHandler
{
    Task TeamInstalledAsync(long tenantId, long teamId, CancellationToken ct);
}
