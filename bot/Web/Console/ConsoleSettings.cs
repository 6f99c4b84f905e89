using Dapper;
using Npgsql;

namespace AlignmentBot.Bot.Web.Console;

/// <summary>
/// What the settings page shows as it is now: the tenant's digest day and time, its leaders' channel and whether new
/// teams get the default pulse. Writes go through the admin API's own handlers, never through here.
/// </summary>
public sealed class ConsoleSettings(NpgsqlDataSource dataSource)
{
    public sealed record Current(string Day, string Time, string? LeadersChannel, bool DefaultPulse);

    // Unset digest day and time read as the API's defaults (TenantDigestSettings); an absent defaultPulse as DefaultPulse's "on".
    private const string Select = """
        SELECT lower(to_char(make_date(2023, 1, 1 + coalesce(t.digest_weekday, 1)), 'FMDay')) AS day,
               to_char(coalesce(t.digest_time, time '09:00'), 'HH24:MI') AS time,
               c.conversation_id AS leaders_channel,
               coalesce((t.settings->>'defaultPulse')::boolean, true) AS default_pulse
        FROM tenants t
        LEFT JOIN conversations c ON c.id = t.leaders_conversation_id
        WHERE t.id = @TenantId
        """;

    public async Task<Current?> ReadAsync(long tenantId, CancellationToken ct)
    {
        await using var connection = await dataSource.OpenConnectionAsync(ct);
        return await connection.QuerySingleOrDefaultAsync<Current>(new CommandDefinition(Select, new { TenantId = tenantId }, cancellationToken: ct));
    }
}
