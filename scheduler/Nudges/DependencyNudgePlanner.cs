using System.Globalization;
using AlignmentBot.Scheduler.Calendar;
using AlignmentBot.Scheduler.Delivery;
using AlignmentBot.Scheduler.Okrs;
using AlignmentBot.Scheduler.Okrs.Dependencies;
using Dapper;
using Npgsql;

namespace AlignmentBot.Scheduler.Nudges;

/// <summary>
/// Nudges across the seam between teams. When a dependency turns at risk or late (<see cref="KeyResultRules.Dependency"/>),
/// the owner of the key result waited on gets one message naming who waits and since when; when it is fine again, the
/// owner of the waiting key result is told. Same rules as the ladder: the recipient's working hours, nothing while
/// they are away or the key result waited on is snoozed, and the same weekly cap (these messages count towards it;
/// what the cap holds back waits for room). At most one "slipped" message per dependency in any 7 days. Planned under
/// the ladder's tenant lock; each message is unique per dependency, episode and kind, so a scan that runs twice (or
/// on two instances) sends once.
/// </summary>
public sealed class DependencyNudgePlanner(NpgsqlDataSource dataSource, Outbox outbox)
{
    public const string SlippedKind = "dependency-slipped";
    public const string ResolvedKind = "dependency-resolved";

    private sealed record Person(long Id, string? TimeZone, DateTime? AwayUntil, bool Active);

    private sealed record LastMessage(long DependencyId, DateTime EpisodeSince, string Kind, DateTime At);

    private const string SelectPeople = "SELECT id, time_zone, away_until::timestamp AS away_until, active FROM people WHERE id = ANY(@Ids)";

    private const string SelectLast = """
        SELECT DISTINCT ON (dependency_id) dependency_id, episode_since, kind, at FROM dependency_nudges
        WHERE tenant_id = @TenantId ORDER BY dependency_id, at DESC, id DESC
        """;

    private const string SelectSlippedThisWeek = """
        SELECT DISTINCT dependency_id FROM dependency_nudges WHERE tenant_id = @TenantId AND kind = 'slipped' AND at > @Now - interval '7 days'
        """;

    private const string Insert = """
        INSERT INTO dependency_nudges (tenant_id, dependency_id, episode_since, kind, recipient_id, delivery_key, at)
        SELECT @TenantId, m.dependency_id, m.episode_since, m.kind, m.recipient_id, m.delivery_key, @Now
        FROM unnest(@DependencyIds, @Episodes, @Kinds, @Recipients, @Keys) AS m(dependency_id, episode_since, kind, recipient_id, delivery_key)
        ON CONFLICT (dependency_id, episode_since, kind) DO NOTHING
        RETURNING delivery_key
        """;

    /// <summary>Plans every tenant that has dependencies; returns how many messages were enqueued.</summary>
    public async Task<int> PlanAsync(DateTimeOffset now, CancellationToken ct)
    {
        long[] tenants;
        await using (var connection = await dataSource.OpenConnectionAsync(ct))
        {
            tenants = [.. await connection.QueryAsync<long>(new CommandDefinition("SELECT DISTINCT tenant_id FROM key_result_dependencies", cancellationToken: ct))];
        }

        var enqueued = 0;
        foreach (var tenant in tenants)
        {
            enqueued += await PlanTenantAsync(tenant, now, ct);
        }

        return enqueued;
    }

    private async Task<int> PlanTenantAsync(long tenantId, DateTimeOffset now, CancellationToken ct)
    {
        await using var connection = await dataSource.OpenConnectionAsync(ct);
        await using var transaction = await connection.BeginTransactionAsync(ct);
        await connection.ExecuteAsync(new CommandDefinition("SELECT pg_advisory_xact_lock(hashtext('nudges'), @TenantId::int)", new { TenantId = tenantId }, transaction, cancellationToken: ct));
        var tenant = await connection.QuerySingleAsync<(string Zone, string? Rhythm)>(new CommandDefinition(
            "SELECT time_zone, (settings->'rhythm')::text FROM tenants WHERE id = @TenantId", new { TenantId = tenantId }, transaction, cancellationToken: ct));
        var settings = RhythmSettings.FromJson(tenant.Rhythm);
        var tenantZone = WorkingTime.Zone(tenant.Zone, TimeZoneInfo.Utc);
        var args = new { TenantId = tenantId, Now = now };
        // Someone waiting on their own key result needs no message about it.
        var links = (await DependencyReader.OfTenantAsync(connection, transaction, tenantId, now, ct)).Where(l => l.Waiting.OwnerId != l.WaitedOn.OwnerId).ToList();
        var last = (await connection.QueryAsync<LastMessage>(new CommandDefinition(SelectLast, args, transaction, cancellationToken: ct))).ToDictionary(m => m.DependencyId);
        var slippedThisWeek = (await connection.QueryAsync<long>(new CommandDefinition(SelectSlippedThisWeek, args, transaction, cancellationToken: ct))).ToHashSet();
        var people = (await connection.QueryAsync<Person>(new CommandDefinition(SelectPeople,
            new { Ids = links.SelectMany(l => new[] { l.Waiting.OwnerId, l.WaitedOn.OwnerId }).OfType<long>().Distinct().ToArray() }, transaction, cancellationToken: ct)))
            .ToDictionary(p => p.Id);
        var sent = await NudgeCandidates.SentThisWeekAsync(connection, transaction, tenantId, now, ct);

        bool Reachable(long? personId) => personId is { } id && people.TryGetValue(id, out var p) && p.Active
            && !NudgeLadder.IsAway(p.AwayUntil is { } a ? DateOnly.FromDateTime(a) : null, WorkingTime.Zone(p.TimeZone, tenantZone), now)
            && NudgeLadder.InWorkingHours(now, WorkingTime.Zone(p.TimeZone, tenantZone), settings)
            && sent.GetValueOrDefault(id) < settings.WeeklyCap;

        // Slipped: a new episode, not yet told, no such message about this dependency this week, the key result not snoozed.
        var slipped = links.Where(l => l.Slipping && !slippedThisWeek.Contains(l.Id) && !(l.WaitedOnSnoozedUntil > now)
                && !(last.TryGetValue(l.Id, out var m) && m.Kind == "slipped" && Utc(m.EpisodeSince) == l.Since))
            .Where(l => Reachable(l.WaitedOn.OwnerId))
            .Select(l => (Link: l, Recipient: l.WaitedOn.OwnerId!.Value, Episode: l.Since!.Value, Kind: "slipped"));
        // Resolved: the last message about it said it slipped, and now it is fine.
        var resolved = links.Where(l => !l.Slipping && last.TryGetValue(l.Id, out var m) && m.Kind == "slipped")
            .Where(l => Reachable(l.Waiting.OwnerId))
            .Select(l => (Link: l, Recipient: l.Waiting.OwnerId!.Value, Episode: Utc(last[l.Id].EpisodeSince), Kind: "resolved"));

        // One message per person and kind in a run, listing every dependency it is about.
        var messages = slipped.Concat(resolved).GroupBy(m => (m.Recipient, m.Kind)).ToList();
        var rows = messages.SelectMany(g => g.Select(m => (m.Link.Id, m.Episode, m.Kind, m.Recipient, Key: Key(g.Key.Kind, g.Key.Recipient, now)))).ToList();
        if (rows.Count == 0)
        {
            return 0;
        }

        var decided = (await connection.QueryAsync<string>(new CommandDefinition(Insert, new
        {
            TenantId = tenantId,
            Now = now,
            DependencyIds = rows.Select(r => r.Id).ToArray(),
            Episodes = rows.Select(r => r.Episode).ToArray(),
            Kinds = rows.Select(r => r.Kind).ToArray(),
            Recipients = rows.Select(r => r.Recipient).ToArray(),
            Keys = rows.Select(r => r.Key).ToArray(),
        }, transaction, cancellationToken: ct))).ToHashSet(StringComparer.Ordinal);
        var deliveries = messages
            .Select(g => new NewDelivery(tenantId, g.Key.Kind == "slipped" ? SlippedKind : ResolvedKind,
                NudgePlanner.Payload(new { dependencies = g.Select(m => m.Link.Id).ToArray() }), Key(g.Key.Kind, g.Key.Recipient, now), now, PersonId: g.Key.Recipient))
            .Where(d => decided.Contains(d.IdempotencyKey))
            .ToList();
        await outbox.EnqueueAsync(connection, transaction, deliveries, ct);
        await transaction.CommitAsync(ct);
        return deliveries.Count;
    }

    /// <summary>The message's outbox key: the same decision (person, kind, instant) always makes the same key.</summary>
    public static string Key(string kind, long recipientId, DateTimeOffset now) =>
        string.Create(CultureInfo.InvariantCulture, $"dependency-{kind}:{recipientId}:{now.ToUnixTimeMilliseconds()}");

    private static DateTimeOffset Utc(DateTime value) => new(DateTime.SpecifyKind(value, DateTimeKind.Utc));
}
