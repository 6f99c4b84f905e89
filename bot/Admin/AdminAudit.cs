using System.Text.Json;
using Dapper;
using Npgsql;

namespace AlignmentBot.Bot.Admin;

/// <summary>
/// The admin audit trail (table <c>audit_log</c>): who (the key's name, never the key), what (method and route, the
/// resource), when (the injected clock), which tenant. Read back a page at a time, newest first.
/// </summary>
public sealed class AdminAudit(NpgsqlDataSource dataSource, TimeProvider time)
{
    public const int MaxPage = 200;

    public sealed record Entry(long Id, string? Platform, string? Tenant, string Actor, string Action, string? Subject, JsonElement Details, DateTimeOffset At);

    private sealed record Row(long Id, string? Platform, string? Tenant, string Actor, string Action, string? Subject, string Details, DateTime CreatedAt);

    // The tenant by internal id when the gate resolved it, else by the platform and external id a handler read from the
    // route or body (a tenant key's own platform when neither named one): a Slack workspace's change is never a Teams tenant's.
    private const string Insert = """
        INSERT INTO audit_log (tenant_id, actor, action, subject, details, created_at)
        VALUES (COALESCE(@TenantId, (SELECT id FROM tenants WHERE external_id = @Tenant AND (@Platform::text IS NULL OR platform = @Platform) ORDER BY id LIMIT 1)),
                @Actor, @Action, @Subject, @Details::jsonb, @Now)
        """;

    public async Task RecordAsync(AdminRequest request, string action, string? subject, object details, CancellationToken ct)
    {
        await using var connection = await dataSource.OpenConnectionAsync(ct);
        await connection.ExecuteAsync(new CommandDefinition(Insert, new
        {
            request.TenantId,
            request.Tenant,
            Platform = request.Platform ?? request.Caller.Platform,
            Actor = request.Caller.Name,
            Action = action,
            Subject = subject,
            Details = JsonSerializer.Serialize(details, JsonSerializerOptions.Web),
            Now = time.GetUtcNow(),
        }, cancellationToken: ct));
    }

    // Keyset paging on the id: stable while new entries arrive. A tenant key reads only its own tenant's entries (its platform's).
    private const string Page = """
        SELECT a.id, t.platform, t.external_id AS tenant, a.actor, a.action, a.subject, a.details::text AS details, a.created_at
        FROM audit_log a LEFT JOIN tenants t ON t.id = a.tenant_id
        WHERE (@Tenant::text IS NULL OR (t.external_id = @Tenant AND (@Platform::text IS NULL OR t.platform = @Platform))) AND (@Before IS NULL OR a.id < @Before)
        ORDER BY a.id DESC
        LIMIT @Limit
        """;

    public async Task<IReadOnlyList<Entry>> PageAsync(string? platform, string? tenant, long? before, int limit, CancellationToken ct)
    {
        await using var connection = await dataSource.OpenConnectionAsync(ct);
        var rows = await connection.QueryAsync<Row>(new CommandDefinition(Page, new { Platform = platform, Tenant = tenant, Before = before, Limit = Math.Clamp(limit, 1, MaxPage) }, cancellationToken: ct));
        return [.. rows.Select(r => new Entry(r.Id, r.Platform, r.Tenant, r.Actor, r.Action, r.Subject, JsonDocument.Parse(r.Details).RootElement.Clone(),
            new DateTimeOffset(DateTime.SpecifyKind(r.CreatedAt, DateTimeKind.Utc))))];
    }
}
