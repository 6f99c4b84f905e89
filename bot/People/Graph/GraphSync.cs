using AlignmentBot.Scheduler.People;
using Dapper;
using Microsoft.Extensions.Options;
using Microsoft.Graph;
using Microsoft.Graph.Models;
using Microsoft.Graph.Models.ODataErrors;
using Microsoft.Kiota.Abstractions;
using Microsoft.Identity.Client;
using Npgsql;

namespace AlignmentBot.Bot.People.Graph;

/// <summary>
/// What Microsoft Graph says about everyone a Teams tenant knows by Entra object id: manager (created as a known
/// person when the bot has not met them), accountEnabled → active, department, job title, and the mailbox's time zone
/// (Windows names made IANA). Written as 'graph' facts, so the file and a person's own choice still win. One paged
/// listing of <c>/users</c> (manager expanded: one call per page of up to 999 people, cheaper than any per-user read)
/// plus per-user mailbox settings in JSON batches (<see cref="GraphBatches"/>); Retry-After is honoured for pages,
/// batches and single throttled requests inside a batch. A bad secret or a missing permission is one log line and the health part.
/// </summary>
public sealed class GraphSync(NpgsqlDataSource dataSource, GraphCredentials credentials, GraphHealth health, IOptions<GraphOptions> options,
    TimeProvider time, ILogger<GraphSync> logger)
{
    private sealed record TenantRow(long Id, string ExternalId);

    private sealed record PersonRow(long Id, string AadObjectId);

    private const string SelectTenants = """
        SELECT t.id, t.external_id FROM tenants t
        WHERE t.platform = 'teams' AND EXISTS (SELECT 1 FROM people p WHERE p.tenant_id = t.id AND p.aad_object_id IS NOT NULL)
        ORDER BY t.id
        """;

    private const string SelectKnown = "SELECT id, aad_object_id FROM people WHERE tenant_id = @TenantId AND aad_object_id IS NOT NULL ORDER BY id";

    // A manager the bot has not met: known by their object id until a roster or activity shows their platform id.
    private const string InsertManagers = """
        INSERT INTO people (tenant_id, platform_user_id, aad_object_id, display_name, updated_at)
        SELECT @TenantId, m.aad, m.aad, m.name, @Now FROM unnest(@Aads, @Names) AS m(aad, name)
        ON CONFLICT (tenant_id, platform_user_id) DO UPDATE SET aad_object_id = EXCLUDED.aad_object_id
        RETURNING id, aad_object_id
        """;

    private static readonly string[] UserFields = ["id", "displayName", "accountEnabled", "department", "jobTitle"];

    /// <summary>Syncs every Teams tenant; returns how many people Graph spoke for. Never throws for Graph's or Entra's refusals.</summary>
    public async Task<int> SyncAsync(CancellationToken ct)
    {
        if (!options.Value.Enabled)
        {
            return 0;
        }

        List<TenantRow> tenants;
        await using (var connection = await dataSource.OpenConnectionAsync(ct))
        {
            tenants = [.. await connection.QueryAsync<TenantRow>(new CommandDefinition(SelectTenants, cancellationToken: ct))];
        }

        var synced = 0;
        foreach (var tenant in tenants)
        {
            try
            {
                synced += await SyncTenantAsync(tenant, ct);
            }
            catch (MsalServiceException ex) when (ex.ErrorCode is "invalid_client" or "unauthorized_client" or "invalid_request")
            {
                Fail($"Graph sync: Entra ID refused the bot's credentials for tenant {tenant.ExternalId} ({ex.ErrorCode}): " +
                     "Teams:AppPassword is expired or wrong; renew the client secret of the bot's Entra app");
                return synced;
            }
            catch (ApiException ex) when (ex.ResponseStatusCode is 401 or 403)
            {
                Fail($"Graph sync: Graph refused tenant {tenant.ExternalId} ({ex.ResponseStatusCode} {(ex as ODataError)?.Error?.Code ?? "for a batch"}): " +
                     "grant the bot's Entra app the application permission User.Read.All, with admin consent");
            }
            // AggregateException: the SDK's retry handler gave up on a request Graph kept throttling.
            catch (Exception ex) when (ex is ApiException or MsalException or HttpRequestException or AggregateException or TaskCanceledException && !ct.IsCancellationRequested)
            {
                Fail($"Graph sync: tenant {tenant.ExternalId} failed ({ex.GetType().Name}: {ex.Message}); the next run tries again");
            }
        }

        return synced;
    }

    private void Fail(string problem)
    {
        logger.LogError("{Problem}", problem);
        health.Failed(problem);
    }

    private async Task<int> SyncTenantAsync(TenantRow tenant, CancellationToken ct)
    {
        await using var connection = await dataSource.OpenConnectionAsync(ct);
        var known = (await connection.QueryAsync<PersonRow>(new CommandDefinition(SelectKnown, new { TenantId = tenant.Id }, cancellationToken: ct)))
            .GroupBy(p => p.AadObjectId, StringComparer.OrdinalIgnoreCase).ToDictionary(g => g.Key, g => g.First().Id, StringComparer.OrdinalIgnoreCase);

        using var client = new GraphServiceClient(credentials.For(tenant.ExternalId), options.Value.BaseUrl);
        var users = await ListKnownUsersAsync(client, known, ct);
        var zones = await MailboxZonesAsync(client, users, ct);

        var now = time.GetUtcNow();
        var unknownManagers = users.Select(u => u.Manager).OfType<DirectoryObject>()
            .Where(m => m.Id is not null && !known.ContainsKey(m.Id))
            .DistinctBy(m => m.Id, StringComparer.OrdinalIgnoreCase).ToList();
        if (unknownManagers.Count > 0)
        {
            var created = await connection.QueryAsync<PersonRow>(new CommandDefinition(InsertManagers, new
            {
                TenantId = tenant.Id,
                Aads = unknownManagers.Select(m => m.Id!).ToArray(),
                Names = unknownManagers.Select(DisplayName).ToArray(),
                Now = now,
            }, cancellationToken: ct));
            foreach (var row in created)
            {
                known[row.AadObjectId] = row.Id;
            }
        }

        var facts = new List<PersonFact>();
        foreach (var user in users)
        {
            var id = known[user.Id!];
            var managerId = user.Manager?.Id is { } aad && known.TryGetValue(aad, out var m) ? m.ToString(System.Globalization.CultureInfo.InvariantCulture) : null;
            facts.Add(new PersonFact(id, PersonFacts.Manager, PersonFacts.Graph, managerId));
            facts.Add(new PersonFact(id, PersonFacts.Active, PersonFacts.Graph, PersonFacts.Bool(user.AccountEnabled ?? true)));
            facts.Add(new PersonFact(id, PersonFacts.Department, PersonFacts.Graph, Trimmed(user.Department)));
            facts.Add(new PersonFact(id, PersonFacts.JobTitle, PersonFacts.Graph, Trimmed(user.JobTitle)));
            if (zones.TryGetValue(user.Id!, out var zone))
            {
                facts.Add(new PersonFact(id, PersonFacts.TimeZone, PersonFacts.Graph, zone));
            }
        }

        var changed = await PersonFacts.WriteAsync(connection, null, facts, now, ct);
        var summary = $"synced {users.Count} people of tenant {tenant.ExternalId} at {now:u} ({changed.Count} changed, {unknownManagers.Count} managers added)";
        logger.LogInformation("Graph sync: {Summary}", summary);
        health.Succeeded(summary);
        return users.Count;
    }

    /// <summary>Every page of <c>/users</c> (the SDK follows @odata.nextLink), keeping those the tenant knows.</summary>
    private async Task<List<User>> ListKnownUsersAsync(GraphServiceClient client, Dictionary<string, long> known, CancellationToken ct)
    {
        var first = await client.Users.GetAsync(r =>
        {
            r.QueryParameters.Select = UserFields;
            r.QueryParameters.Expand = ["manager($select=id,displayName)"];
            r.QueryParameters.Top = options.Value.PageSize;
        }, ct);
        var found = new List<User>();
        if (first is null)
        {
            return found;
        }

        var pages = PageIterator<User, UserCollectionResponse>.CreatePageIterator(client, first, user =>
        {
            if (user.Id is not null && known.ContainsKey(user.Id))
            {
                found.Add(user);
            }

            return true;
        });
        await pages.IterateAsync(ct);
        return found;
    }

    /// <summary>
    /// Mailbox time zones as IANA ids, read in batches. A user without a mailbox (404) or a tenant that did not grant
    /// mailbox settings (403) simply has no Graph zone: the zone is a nicety, not a reason to fail the sync.
    /// </summary>
    private async Task<Dictionary<string, string>> MailboxZonesAsync(GraphServiceClient client, List<User> users, CancellationToken ct)
    {
        var batches = new GraphBatches(client, options.Value, time);
        var answers = await batches.GetAsync<MailboxSettings>([.. users.Select(u => u.Id!)],
            id => client.Users[id].MailboxSettings.ToGetRequestInformation(r => r.QueryParameters.Select = ["timeZone"]), ct);
        var zones = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var (id, (_, settings)) in answers)
        {
            if (Zones.ToIana(settings?.TimeZone) is { } zone)
            {
                zones[id] = zone;
            }
        }

        var refused = answers.Count(a => a.Value.Status is System.Net.HttpStatusCode.Forbidden or System.Net.HttpStatusCode.NotFound);
        if (refused > 0 || batches.GaveUp > 0)
        {
            logger.LogInformation("Graph sync: no mailbox time zone for {Refused} of {Users} people (no mailbox, or MailboxSettings.Read not granted); " +
                                  "{GaveUp} still throttled after {Retries} retries keep their zone until the next run",
                refused, users.Count, batches.GaveUp, options.Value.ThrottledRetries);
        }

        return zones;
    }

    private static string DisplayName(DirectoryObject manager) =>
        (manager as User)?.DisplayName ?? (manager.AdditionalData.TryGetValue("displayName", out var name) ? name?.ToString() : null) ?? "";

    private static string? Trimmed(string? value) => string.IsNullOrWhiteSpace(value) ? null : value.Trim();
}
