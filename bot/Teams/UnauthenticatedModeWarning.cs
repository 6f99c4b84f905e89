using Microsoft.Extensions.Options;

namespace AlignmentBot.Bot.Teams;

/// <summary>Says loudly at start-up that /api/messages trusts anyone (allowed in Development only).</summary>
internal sealed class UnauthenticatedModeWarning(IOptions<TeamsOptions> options, ILogger<UnauthenticatedModeWarning> logger) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        if (!options.Value.IsAuthenticated)
        {
            logger.LogWarning(
                "Teams:AppId is not set: {Path} accepts UNAUTHENTICATED requests (Development only, for local clients such as the Agents Playground). " +
                "Set Teams:AppId, Teams:AppPassword and Teams:TenantId to connect to Microsoft Teams.", MessagesEndpoint.Path);
        }

        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
