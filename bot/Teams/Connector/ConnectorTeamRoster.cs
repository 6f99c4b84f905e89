using AlignmentBot.Bot.Directory;

namespace AlignmentBot.Bot.Teams.Connector;

/// <summary>A team's roster from the Bot Connector's paged members.</summary>
public sealed class ConnectorTeamRoster(BotConnectorClient connector, ILogger<ConnectorTeamRoster> logger) : ITeamRoster
{
    public async Task<IReadOnlyList<Member>?> GetMembersAsync(string serviceUrl, string teamId, CancellationToken ct)
    {
        var result = await connector.GetAllMembersAsync(serviceUrl, teamId, ct);
        if (!result.IsSuccess || result.Value is null)
        {
            logger.LogWarning("Could not read the roster of team {TeamId}: {Status} {Failure} {Error} (correlation {CorrelationId})",
                teamId, result.StatusCode, result.Failure, result.ErrorCode ?? result.ErrorMessage, result.CorrelatingOperationId);
            return null;
        }

        return result.Value
            .Where(m => m.Id.Length > 0)
            .Select(m => new Member(m.Id, m.AadObjectId, m.Name, m.Email ?? m.UserPrincipalName))
            .ToList();
    }
}
