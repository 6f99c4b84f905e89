using System.Security.Cryptography;
using System.Text;
using Dapper;
using Microsoft.Extensions.Options;
using Npgsql;

namespace AlignmentBot.Bot.Admin;

/// <summary>
/// The one rule for who may use the admin API on what: which key a caller holds, and whether that caller may see and
/// change the tenant a resource belongs to. Every admin surface (this API, and any console built on it) asks here.
/// </summary>
public sealed class AdminAccess(IOptions<AdminOptions> options, NpgsqlDataSource dataSource)
{
    /// <summary>The verdict on one resource: allowed (with its tenant, when it exists), or refused with a status.</summary>
    public sealed record Decision(bool Allowed, int RefusedStatus, long? TenantId)
    {
        public static Decision Allow(long? tenantId) => new(true, 0, tenantId);

        public static Decision Refuse(int status) => new(false, status, null);
    }

    private sealed record Owner(long Id, string ExternalId, string Platform);

    // The key's hash, compared in constant time: neither the content nor the length of a key leaks through timing.
    private readonly (byte[] Hash, AdminCaller Caller)[] _keys =
    [
        .. options.Value.ApiKey.Length > 0 ? [(Hash(options.Value.ApiKey), AdminCaller.Global)] : Array.Empty<(byte[], AdminCaller)>(),
        .. options.Value.TenantKeys.Where(k => k.Value.Length > 0).Select(k => (Hash(k.Value), AdminCaller.ForTenant(k.Key))),
        .. options.Value.SlackWorkspaceKeys.Where(k => k.Value.Length > 0).Select(k => (Hash(k.Value), AdminCaller.ForSlackWorkspace(k.Key))),
    ];

    /// <summary>The caller holding this key, or null. Every configured key is compared, whichever matches.</summary>
    public AdminCaller? Identify(string key)
    {
        var given = Hash(key);
        AdminCaller? found = null;
        foreach (var (hash, caller) in _keys)
        {
            if (CryptographicOperations.FixedTimeEquals(given, hash))
            {
                found = caller;
            }
        }

        return found;
    }

    // The route names the platform too (a Slack workspace and a Teams tenant are different tenants); where it does not,
    // a tenant key's own platform is meant (the global key's: the oldest tenant with that id).
    private const string TenantByExternalId = """
        SELECT id, external_id, platform FROM tenants WHERE external_id = @Value AND (@Platform::text IS NULL OR platform = @Platform) ORDER BY id LIMIT 1
        """;

    private const string TenantOfSurvey = """
        SELECT t.id, t.external_id, t.platform FROM surveys s JOIN tenants t ON t.id = s.tenant_id WHERE s.id = @Id
        """;

    private const string TenantOfRun = """
        SELECT t.id, t.external_id, t.platform FROM survey_runs r JOIN surveys s ON s.id = r.survey_id JOIN tenants t ON t.id = s.tenant_id WHERE r.id = @Id
        """;

    private const string TenantOfTeam = "SELECT t.id, t.external_id, t.platform FROM teams tm JOIN tenants t ON t.id = tm.tenant_id WHERE tm.id = @Id";

    /// <summary>
    /// Whether <paramref name="caller"/> may act on the resource <paramref name="value"/> names. Another tenant's tenant
    /// is 403 (tenant ids are not secret); another tenant's survey, run or team is 404, as if it did not exist. A
    /// resource that does not exist is allowed through, so the handler answers its own 404.
    /// </summary>
    public async Task<Decision> DecideAsync(AdminCaller caller, AdminResource resource, string value, string? platform, CancellationToken ct)
    {
        if (resource == AdminResource.CheckedByHandler)
        {
            return Decision.Allow(null);
        }

        platform ??= caller.Platform;
        if (resource == AdminResource.Tenant && !caller.May(platform, value))
        {
            return Decision.Refuse(StatusCodes.Status403Forbidden);
        }

        var sql = resource switch
        {
            AdminResource.Tenant => TenantByExternalId,
            AdminResource.Survey => TenantOfSurvey,
            AdminResource.Run => TenantOfRun,
            _ => TenantOfTeam,
        };
        long? id = resource == AdminResource.Tenant ? null : long.TryParse(value, out var parsed) ? parsed : -1;
        await using var connection = await dataSource.OpenConnectionAsync(ct);
        var owner = await connection.QuerySingleOrDefaultAsync<Owner>(new CommandDefinition(sql, new { Value = value, Id = id, Platform = platform }, cancellationToken: ct));
        if (owner is null)
        {
            return Decision.Allow(null);
        }

        return caller.May(owner.Platform, owner.ExternalId) ? Decision.Allow(owner.Id) : Decision.Refuse(StatusCodes.Status404NotFound);
    }

    private static byte[] Hash(string key) => SHA256.HashData(Encoding.UTF8.GetBytes(key));
}
