using System.Text.Json;
using AlignmentBot.Scheduler.Tenants;
using Dapper;
using Npgsql;

namespace AlignmentBot.Scheduler.Okrs;

/// <summary>Reads and writes a tenant's <see cref="RhythmSettings"/> (<c>tenants.settings.rhythm</c>).</summary>
public sealed class RhythmStore(NpgsqlDataSource dataSource)
{
    /// <summary>The tenant's settings, defaults filled in; null for an unknown tenant.</summary>
    public async Task<RhythmSettings?> GetAsync(TenantAddress tenant, CancellationToken ct)
    {
        await using var connection = await dataSource.OpenConnectionAsync(ct);
        var row = await connection.QuerySingleOrDefaultAsync<(long Id, string? Json)>(new CommandDefinition(
            "SELECT id, (settings->'rhythm')::text FROM tenants WHERE platform = @Platform AND external_id = @Tenant", tenant.Args, cancellationToken: ct));
        return row.Id == 0 ? null : RhythmSettings.FromJson(row.Json);
    }

    /// <summary>The settings of the tenant a key result belongs to.</summary>
    public async Task<RhythmSettings> ForTenantOfKeyResultAsync(long keyResultId, CancellationToken ct)
    {
        await using var connection = await dataSource.OpenConnectionAsync(ct);
        return RhythmSettings.FromJson(await connection.ExecuteScalarAsync<string?>(new CommandDefinition(
            "SELECT (t.settings->'rhythm')::text FROM key_results kr JOIN tenants t ON t.id = kr.tenant_id WHERE kr.id = @Id", new { Id = keyResultId }, cancellationToken: ct)));
    }

    public async Task<bool> SaveAsync(TenantAddress tenant, RhythmSettings settings, CancellationToken ct)
    {
        await using var connection = await dataSource.OpenConnectionAsync(ct);
        return await connection.ExecuteAsync(new CommandDefinition(
            "UPDATE tenants SET settings = settings || jsonb_build_object('rhythm', @Json::jsonb) WHERE platform = @Platform AND external_id = @Tenant",
            new { tenant.Platform, Tenant = tenant.ExternalId, Json = JsonSerializer.Serialize(settings, JsonSerializerOptions.Web) }, cancellationToken: ct)) > 0;
    }
}
