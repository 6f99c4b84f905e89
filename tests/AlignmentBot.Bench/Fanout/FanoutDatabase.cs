using System.Text.Json;
using AlignmentBot.Scheduler.Delivery;
using AlignmentBot.Storage.Database;
using AlignmentBot.Storage.Migrations;
using Dapper;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Npgsql;

namespace AlignmentBot.Bench.Fanout;

/// <summary>A throwaway, migrated database for one run: tenants, people without chats, the outbox, the figures.</summary>
public sealed class FanoutDatabase : IAsyncDisposable
{
    private readonly string _server;
    private readonly string _name;

    private FanoutDatabase(string server, string name)
    {
        _server = server;
        _name = name;
        ConnectionString = new NpgsqlConnectionStringBuilder(server) { Database = name }.ConnectionString;
        DataSource = NpgsqlDataSource.Create(ConnectionString);
    }

    public string ConnectionString { get; }

    public NpgsqlDataSource DataSource { get; }

    public static async Task<FanoutDatabase> CreateAsync(string server)
    {
        var name = $"fanout_{Guid.NewGuid():N}"[..20];
        await using (var connection = new NpgsqlConnection(server))
        {
            await connection.ExecuteAsync($"CREATE DATABASE \"{name}\"");
        }

        var database = new FanoutDatabase(server, name);
        await new DatabaseMigrator(Options.Create(new PostgresOptions { ConnectionString = database.ConnectionString }), NullLogger<DatabaseMigrator>.Instance)
            .MigrateAsync(CancellationToken.None);
        return database;
    }

    /// <summary>A tenant whose General channel tells the bot its serviceUrl, and its people, none with a 1:1 chat.</summary>
    public async Task<long[]> SeedTenantAsync(string externalId, string serviceUrl, int people)
    {
        await using var connection = await DataSource.OpenConnectionAsync();
        var tenantId = await connection.ExecuteScalarAsync<long>("INSERT INTO tenants (platform, external_id) VALUES ('teams', @externalId) RETURNING id", new { externalId });
        await connection.ExecuteAsync(
            "INSERT INTO conversations (tenant_id, kind, conversation_id, service_url) VALUES (@tenantId, 'channel', @channel, @serviceUrl)",
            new { tenantId, channel = $"19:general-{externalId}@thread.tacv2", serviceUrl });
        return (await connection.QueryAsync<long>("""
            INSERT INTO people (tenant_id, platform_user_id, display_name)
            SELECT @tenantId, '29:user-' || i, 'Person ' || i FROM generate_series(1, @people) AS i
            RETURNING id
            """, new { tenantId, people })).Select(id => id).Prepend(tenantId).ToArray();
    }

    /// <summary>
    /// Many tenants at once, all behind one serviceUrl, each with its people (user ids unique across tenants, so
    /// one fake connector tells them apart); returns each tenant's id and its people's.
    /// </summary>
    public async Task<IReadOnlyList<(long TenantId, long[] People)>> SeedTenantsAsync(int tenants, int peoplePerTenant, string serviceUrl)
    {
        await using var connection = await DataSource.OpenConnectionAsync();
        await connection.ExecuteAsync("""
            WITH t AS (
                INSERT INTO tenants (platform, external_id)
                SELECT 'teams', 'many-' || i FROM generate_series(1, @tenants) AS i
                RETURNING id, external_id
            ), channels AS (
                INSERT INTO conversations (tenant_id, kind, conversation_id, service_url)
                SELECT id, 'channel', '19:general-' || external_id || '@thread.tacv2', @serviceUrl FROM t
            )
            INSERT INTO people (tenant_id, platform_user_id, display_name)
            SELECT t.id, '29:' || t.external_id || '-user-' || p, 'Person ' || p FROM t, generate_series(1, @people) AS p
            """, new { tenants, people = peoplePerTenant, serviceUrl });
        var rows = await connection.QueryAsync<(long TenantId, long PersonId)>(
            "SELECT tenant_id, id FROM people WHERE platform_user_id LIKE '29:many-%' ORDER BY tenant_id, id");
        return [.. rows.GroupBy(r => r.TenantId).Select(g => (g.Key, g.Select(r => r.PersonId).ToArray()))];
    }

    /// <summary>One notice per person of every tenant given, enqueued now in batches.</summary>
    public async Task EnqueueAllAsync(IEnumerable<(long TenantId, long[] People)> tenants)
    {
        var outbox = new Outbox(DataSource, TimeProvider.System);
        var payload = JsonSerializer.SerializeToElement(new { title = "Alignment pulse", text = "Two minutes: how clear are this quarter's goals?", reason = "Sent because: the benchmark" });
        var all = tenants.SelectMany(t => t.People.Select(p => (t.TenantId, Person: p)));
        foreach (var chunk in all.Chunk(5000))
        {
            await outbox.EnqueueAsync(chunk.Select(x => new NewDelivery(x.TenantId, "notice", payload, $"fanout:{x.Person}", TimeProvider.System.GetUtcNow(), PersonId: x.Person)).ToArray(), CancellationToken.None);
        }
    }

    /// <summary>
    /// One notice per person, enqueued in batches as a pulse job would, but not due yet: <see cref="ReleaseAsync"/>
    /// makes every tenant's fan-out due at one instant, so the run is timed from there and not from however long
    /// writing the rows took (seconds on a busy machine, and the tenants would not start together).
    /// </summary>
    public async Task EnqueueAsync(long tenantId, IEnumerable<long> people)
    {
        var outbox = new Outbox(DataSource, TimeProvider.System);
        var payload = JsonSerializer.SerializeToElement(new { title = "Alignment pulse", text = "Two minutes: how clear are this quarter's goals?", reason = "Sent because: the benchmark" });
        var later = TimeProvider.System.GetUtcNow().AddHours(1);
        foreach (var chunk in people.Chunk(5000))
        {
            await outbox.EnqueueAsync(chunk.Select(p => new NewDelivery(tenantId, "notice", payload, $"fanout:{p}", later, PersonId: p)).ToArray(), CancellationToken.None);
        }
    }

    /// <summary>
    /// Everything enqueued becomes due at <paramref name="at"/>, in one transaction (the moment a scheduled pulse
    /// opens). Due a little ahead rather than now(): rewriting 20,000 rows takes a while (seconds on a busy
    /// machine), and no bot can see them before the commit, so a run timed from now() would charge that to the bot.
    /// </summary>
    public async Task ReleaseAsync(DateTimeOffset at)
    {
        await using var connection = await DataSource.OpenConnectionAsync();
        await connection.ExecuteAsync("UPDATE deliveries SET not_before = @at WHERE status = 'pending'", new { at });
    }

    public sealed record Progress(long Settled, long Sent);

    public async Task<Progress> ProgressAsync()
    {
        await using var connection = await DataSource.OpenConnectionAsync();
        return await connection.QuerySingleAsync<Progress>(
            "SELECT count(*) FILTER (WHERE status NOT IN ('pending', 'sending')) AS settled, count(*) FILTER (WHERE status = 'sent') AS sent FROM deliveries");
    }

    public sealed record Figures(long Sent, double Seconds, double P50Ms, double P99Ms);

    /// <summary>Sent messages per second from the moment they were due to the last send, and due→sent percentiles.</summary>
    public async Task<Figures> FiguresAsync()
    {
        await using var connection = await DataSource.OpenConnectionAsync();
        return await connection.QuerySingleAsync<Figures>("""
            WITH due AS (SELECT min(not_before) AS at FROM deliveries)
            SELECT count(*) AS sent,
                   extract(epoch FROM max(sent_at) - min(due.at))::float8 AS seconds,
                   percentile_cont(0.5) WITHIN GROUP (ORDER BY extract(epoch FROM sent_at - due.at)) * 1000 AS p50ms,
                   percentile_cont(0.99) WITHIN GROUP (ORDER BY extract(epoch FROM sent_at - due.at)) * 1000 AS p99ms
            FROM deliveries, due WHERE status = 'sent'
            """);
    }

    /// <summary>How many messages each bot instance sent, and to how many tenants.</summary>
    public async Task<IReadOnlyList<(string Instance, long Sent, long Tenants)>> SentPerInstanceAsync()
    {
        await using var connection = await DataSource.OpenConnectionAsync();
        var rows = await connection.QueryAsync<(string Instance, long Sent, long Tenants)>(
            "SELECT claimed_by, count(*), count(DISTINCT tenant_id) FROM deliveries WHERE status = 'sent' GROUP BY claimed_by ORDER BY claimed_by");
        return rows.AsList();
    }

    public async ValueTask DisposeAsync()
    {
        await DataSource.DisposeAsync();
        await using var connection = new NpgsqlConnection(_server);
        await connection.ExecuteAsync($"DROP DATABASE IF EXISTS \"{_name}\" WITH (FORCE)");
    }
}
