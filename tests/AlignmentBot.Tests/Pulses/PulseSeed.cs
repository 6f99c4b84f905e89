using AlignmentBot.Tests.Support;

namespace AlignmentBot.Tests.Pulses;

/// <summary>A tenant with teams and people in given time zones, for pulse tests.</summary>
public sealed class PulseSeed(TestDatabase database)
{
    public long TenantId { get; private set; }

    public const string TenantExternalId = "tenant-p";

    public async Task<PulseSeed> TenantAsync(string timeZone = "Europe/London")
    {
        TenantId = await database.ScalarAsync<long>($"INSERT INTO tenants (platform, external_id, time_zone) VALUES ('teams', '{TenantExternalId}', '{timeZone}') RETURNING id");
        return this;
    }

    public Task<long> TeamAsync(string name) =>
        database.ScalarAsync<long>($"INSERT INTO teams (tenant_id, name) VALUES ({TenantId}, '{name}') RETURNING id");

    /// <summary>A person in the team; a null zone means "unknown" (the tenant's is used).</summary>
    public async Task<long> PersonAsync(long teamId, string name, string? timeZone, bool active = true, bool optedOut = false)
    {
        var zone = timeZone is null ? "NULL" : $"'{timeZone}'";
        var id = await database.ScalarAsync<long>($"""
            INSERT INTO people (tenant_id, platform_user_id, display_name, time_zone, active, opted_out_of_pulses)
            VALUES ({TenantId}, '29:{name}', '{name}', {zone}, {active}, {optedOut}) RETURNING id
            """);
        await AddToTeamAsync(teamId, id);
        return id;
    }

    public Task AddToTeamAsync(long teamId, long personId) =>
        database.ExecuteAsync($"INSERT INTO team_members (team_id, person_id) VALUES ({teamId}, {personId})");
}
