using System.Text.Json;
using Dapper;
using Npgsql;

namespace AlignmentBot.Scheduler.Okrs;

/// <summary>Reads and writes a tenant's <see cref="RhythmSettings"/> (<c>tenants.settings.rhythm</c>).</summary>
public sealed class RhythmStore(NpgsqlDataSource dataSource)
{
    /// <summary>The tenant's settings by its platform id, defaults filled in; null for an unknown tenant.</summary>
    public async Task<RhythmSettings?> GetAsync(string tenant, CancellationToken ct)
    {
        await using var connection = await dataSource.OpenConnectionAsync(ct);
        var row = await connection.QuerySingleOrDefaultAsync<(long Id, string? Json)>(new CommandDefinition(
            "SELECT id, (settings->'rhythm')::text FROM tenants WHERE external_id = @Tenant", new { Tenant = tenant }, cancellationToken: ct));
        return row.Id == 0 ? null : RhythmSettings.FromJson(row.Json);
    }

    /// <summary>The settings of the tenant a key result belongs to.</summary>
    public async Task<RhythmSettings> ForTenantOfKeyResultAsync(long keyResultId, CancellationToken ct)
    {
        await using var connection = await dataSource.OpenConnectionAsync(ct);
        return RhythmSettings.FromJson(await connection.ExecuteScalarAsync<string?>(new CommandDefinition(
            "SELECT (t.settings->'rhythm')::text FROM key_results kr JOIN tenants t ON t.id = kr.tenant_id WHERE kr.id = @Id", new { Id = keyResultId }, cancellationToken: ct)));
    }

    public async Task<bool> SaveAsync(string tenant, RhythmSettings settings, CancellationToken ct)
    {
        await using var connection = await dataSource.OpenConnectionAsync(ct);
        return await connection.ExecuteAsync(new CommandDefinition(
            "UPDATE tenants SET settings = settings || jsonb_build_object('rhythm', @Json::jsonb) WHERE external_id = @Tenant",
            new { Tenant = tenant, Json = JsonSerializer.Serialize(settings, JsonSerializerOptions.Web) }, cancellationToken: ct)) > 0;
    }
}
