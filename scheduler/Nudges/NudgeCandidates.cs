using AlignmentBot.Scheduler.Calendar;
using AlignmentBot.Scheduler.Okrs;
using AlignmentBot.Scheduler.People;
using Dapper;
using Npgsql;

namespace AlignmentBot.Scheduler.Nudges;

/// <summary>Reads what the ladder needs for one tenant: overdue key results with their ladder position, held nudges, recent counts.</summary>
internal static class NudgeCandidates
{
    private sealed record Row(
        long KeyResultId, long OwnerId, long? TeamId, DateTime OverdueSince, DateTime? SnoozedUntil, string? OwnerZone, DateTime? OwnerAway,
        long? ManagerId, string? ManagerZone, DateTime? ManagerAway, short? LastStep, DateTime? LastAt);

    private static readonly string Overdue = KeyResultRules.OverdueSinceSql;

    // The manager is the team's first manager who is not the owner (the one rule, PeopleRoles); without one, the owner's own.
    // Key results whose due date is more than a week gone are left alone: that cycle is over.
    private static readonly string SelectCandidates = $"""
        SELECT kr.id AS key_result_id, kr.owner_id, o.team_id, {Overdue} AS overdue_since, kr.snoozed_until,
               p.time_zone AS owner_zone, p.away_until::timestamp AS owner_away,
               mgr.id AS manager_id, mgr.time_zone AS manager_zone, mgr.away_until::timestamp AS manager_away,
               last.step AS last_step, last.at AS last_at
        FROM key_results kr
        JOIN objectives o ON o.id = kr.objective_id
        JOIN people p ON p.id = kr.owner_id AND p.active
        LEFT JOIN people mgr ON mgr.active AND mgr.id <> kr.owner_id
             AND mgr.id = coalesce({PeopleRoles.FirstManagerOf("o.team_id", "kr.owner_id")}, p.manager_id)
        LEFT JOIN LATERAL (
            SELECT n.step, n.at FROM nudges n WHERE n.key_result_id = kr.id AND n.overdue_since = {Overdue} ORDER BY n.step DESC LIMIT 1
        ) last ON true
        WHERE kr.tenant_id = @TenantId AND {Overdue} <= @Now
          AND (kr.due_on IS NULL OR kr.due_on >= (@Now AT TIME ZONE 'UTC')::date - 7)
        ORDER BY overdue_since, kr.id
        """;

    public static async Task<IReadOnlyList<NudgeCandidate>> OverdueAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, long tenantId,
        TimeZoneInfo tenantZone, RhythmSettings settings, DateTimeOffset now, CancellationToken ct)
    {
        var rows = await connection.QueryAsync<Row>(new CommandDefinition(SelectCandidates,
            new { TenantId = tenantId, Now = now, settings.GraceDays }, transaction, cancellationToken: ct));
        return [.. rows.Select(r => new NudgeCandidate(
            r.KeyResultId, r.OwnerId, r.TeamId, Utc(r.OverdueSince), r.SnoozedUntil is { } s ? Utc(s) : null,
            WorkingTime.Zone(r.OwnerZone, tenantZone), r.OwnerAway is { } oa ? DateOnly.FromDateTime(oa) : null,
            r.ManagerId, WorkingTime.Zone(r.ManagerZone, tenantZone), r.ManagerAway is { } ma ? DateOnly.FromDateTime(ma) : null,
            r.LastStep ?? 0, r.LastAt is { } at ? Utc(at) : null))];
    }

    /// <summary>A nudge the weekly cap held back, still waiting to be mentioned.</summary>
    public sealed record Held(long Id, long KeyResultId, long RecipientId, DateTime OverdueSince, short Step);

    private const string SelectHeld = """
        SELECT id, key_result_id, recipient_id, overdue_since, step FROM nudges
        WHERE tenant_id = @TenantId AND outcome = 'held' AND at > @Now - interval '60 days'
        ORDER BY at, id
        """;

    public static async Task<IReadOnlyList<Held>> HeldAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, long tenantId, DateTimeOffset now, CancellationToken ct) =>
        [.. await connection.QueryAsync<Held>(new CommandDefinition(SelectHeld, new { TenantId = tenantId, Now = now }, transaction, cancellationToken: ct))];

    // Messages, not key results: several key results folded into one message count once. Messages about dependencies
    // (dependency_nudges) count too: one cap for every nudge a person gets.
    private const string SelectSentThisWeek = """
        SELECT recipient_id, count(DISTINCT delivery_key)::int AS messages FROM (
            SELECT recipient_id, delivery_key FROM nudges
            WHERE tenant_id = @TenantId AND outcome = 'sent' AND at > @Now - interval '7 days'
          UNION ALL
            SELECT recipient_id, delivery_key FROM dependency_nudges
            WHERE tenant_id = @TenantId AND at > @Now - interval '7 days') m
        GROUP BY recipient_id
        """;

    public static async Task<Dictionary<long, int>> SentThisWeekAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, long tenantId, DateTimeOffset now, CancellationToken ct) =>
        (await connection.QueryAsync<(long RecipientId, int Messages)>(new CommandDefinition(SelectSentThisWeek, new { TenantId = tenantId, Now = now }, transaction, cancellationToken: ct)))
            .ToDictionary(r => r.RecipientId, r => r.Messages);

    private const string SelectManagerMessages = """
        SELECT DISTINCT n.recipient_id, coalesce(o.team_id, 0) AS team_id FROM nudges n
        JOIN key_results kr ON kr.id = n.key_result_id JOIN objectives o ON o.id = kr.objective_id
        WHERE n.tenant_id = @TenantId AND n.step = 3 AND n.outcome = 'sent' AND n.at > @Now - interval '7 days'
        """;

    /// <summary>(manager, team) pairs that had a consolidated message in the last 7 days: a manager hears about a team at most weekly.</summary>
    public static async Task<HashSet<(long Manager, long Team)>> ManagerMessagesThisWeekAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, long tenantId,
        DateTimeOffset now, CancellationToken ct) =>
        [.. await connection.QueryAsync<(long, long)>(new CommandDefinition(SelectManagerMessages, new { TenantId = tenantId, Now = now }, transaction, cancellationToken: ct))];

    public static DateTimeOffset Utc(DateTime value) => new(DateTime.SpecifyKind(value, DateTimeKind.Utc));
}
