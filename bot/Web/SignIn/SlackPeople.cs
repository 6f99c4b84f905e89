using System.Security.Claims;
using Dapper;
using Npgsql;

namespace AlignmentBot.Bot.Web.SignIn;

/// <summary>
/// A person signed in with Slack, found in the directory by platform 'slack', the workspace (team id) and their Slack
/// user id: a Teams tenant or person that happens to carry the same ids is never theirs.
/// </summary>
public static class SlackPeople
{
    public const string TeamIdClaim = "https://slack.com/team_id";
    public const string UserIdClaim = "https://slack.com/user_id";

    /// <summary>The workspace and person a Slack sign-in names, or null when the session is not Slack's.</summary>
    public static (string Team, string User)? Ids(ClaimsPrincipal user) =>
        user.FindFirstValue(TeamIdClaim) is { Length: > 0 } team && user.FindFirstValue(UserIdClaim) is { Length: > 0 } person ? (team, person) : null;

    /// <summary>How <c>Dashboard:Admins</c> names a Slack workspace's admin.</summary>
    public static string AdminEntry(string team, string user) => $"slack:{team}/{user}";

    private sealed record PersonRow(long TenantId, string ExternalId, long? PersonId, string? DisplayName);

    private const string SelectPerson = """
        SELECT x.id AS tenant_id, x.external_id, p.id AS person_id, p.display_name
        FROM tenants x
        LEFT JOIN people p ON p.tenant_id = x.id AND p.platform_user_id = @User AND p.active
        WHERE x.platform = 'slack' AND x.external_id = @Team
        ORDER BY p.id
        LIMIT 1
        """;

    /// <summary>
    /// The person behind a Slack session; null when their workspace is not one of the bot's. Slack has no app role to
    /// carry, so a Slack person is an admin of their own workspace only when the configured list names them as
    /// <c>slack:&lt;team id&gt;/&lt;user id&gt;</c>.
    /// </summary>
    public static async Task<DashboardViewer.Who?> IdentifyAsync(NpgsqlDataSource dataSource, ClaimsPrincipal user, IReadOnlyCollection<string> admins, CancellationToken ct)
    {
        if (Ids(user) is not { } ids)
        {
            return null;
        }

        var (team, person) = ids;
        await using var connection = await dataSource.OpenConnectionAsync(ct);
        var row = await connection.QuerySingleOrDefaultAsync<PersonRow>(new CommandDefinition(SelectPerson, new { Team = team, User = person }, cancellationToken: ct));
        return row is null ? null : new DashboardViewer.Who(row.TenantId, row.ExternalId, row.PersonId, row.DisplayName ?? user.FindFirstValue("name") ?? "",
            Admin: admins.Contains(AdminEntry(team, person), StringComparer.OrdinalIgnoreCase), Platform: "slack");
    }
}
