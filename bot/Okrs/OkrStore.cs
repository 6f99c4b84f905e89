using AlignmentBot.Scheduler.Okrs;
using Dapper;
using Npgsql;

namespace AlignmentBot.Bot.Okrs;

/// <summary>Key results as people see them in chat, and what they do to them: check in, snooze, say they are away.</summary>
public sealed class OkrStore(NpgsqlDataSource dataSource)
{
    private static readonly string SelectViews = $"""
        SELECT kr.id, kr.title, o.title AS objective_title, po.title AS parent_objective_title, o.team_id, tm.name AS team_name,
               kr.owner_id, coalesce(p.display_name, '') AS owner_name, p.time_zone AS owner_zone, p.away_until::timestamp AS owner_away_until,
               kr.start_value, kr.target_value, kr.current_value, kr.unit, kr.confidence::int AS confidence, kr.checkin_cadence_days, kr.due_on::timestamp AS due_on,
               kr.last_checkin_at, {KeyResultRules.OverdueSinceForTenantSql} AS overdue_since,
               kr.snoozed_until, t.time_zone AS tenant_zone,
               (SELECT c.blocker FROM checkins c WHERE c.key_result_id = kr.id ORDER BY c.created_at DESC LIMIT 1) AS last_blocker
        FROM key_results kr
        JOIN objectives o ON o.id = kr.objective_id
        LEFT JOIN objectives po ON po.id = o.parent_objective_id
        LEFT JOIN teams tm ON tm.id = o.team_id
        LEFT JOIN people p ON p.id = kr.owner_id
        JOIN tenants t ON t.id = kr.tenant_id
        """;

    /// <summary>Key results the person owns, most urgent first (overdue, then lowest confidence).</summary>
    public Task<IReadOnlyList<KeyResultView>> OwnedByAsync(long personId, CancellationToken ct) =>
        QueryAsync($"{SelectViews} WHERE kr.owner_id = @PersonId ORDER BY overdue_since, kr.confidence NULLS FIRST, kr.id", new { PersonId = personId }, ct);

    /// <summary>
    /// Key results of the teams the person belongs to or manages (the one rule: the view team_managers), with whether
    /// they manage that team (only managers and owners see blockers).
    /// </summary>
    public async Task<IReadOnlyList<(KeyResultView KeyResult, bool Manages)>> OfMyTeamsAsync(long personId, CancellationToken ct)
    {
        const string teams = """
            SELECT m.team_id, bool_or(m.manages) AS manages FROM (
                SELECT team_id, false AS manages FROM team_members WHERE person_id = @PersonId
                UNION ALL SELECT team_id, true FROM team_managers WHERE person_id = @PersonId) m
            GROUP BY m.team_id
            """;
        await using var connection = await dataSource.OpenConnectionAsync(ct);
        var mine = (await connection.QueryAsync<(long TeamId, bool Manages)>(new CommandDefinition(teams, new { PersonId = personId }, cancellationToken: ct)))
            .ToDictionary(t => t.TeamId, t => t.Manages);
        var views = await connection.QueryAsync<KeyResultView>(new CommandDefinition(
            $"{SelectViews} WHERE o.team_id = ANY(@Teams) ORDER BY tm.name, overdue_since, kr.id", new { Teams = mine.Keys.ToArray() }, cancellationToken: ct));
        return [.. views.Select(v => (v, mine[v.TeamId!.Value]))];
    }

    public async Task<KeyResultView?> FindAsync(long keyResultId, CancellationToken ct) =>
        (await QueryAsync($"{SelectViews} WHERE kr.id = @Id", new { Id = keyResultId }, ct)) is [var view] ? view : null;

    /// <summary>Several key results by id (e.g. those folded into a nudge), in the order asked.</summary>
    public async Task<IReadOnlyList<KeyResultView>> FindManyAsync(IReadOnlyList<long> ids, CancellationToken ct)
    {
        if (ids.Count == 0)
        {
            return [];
        }

        var found = (await QueryAsync($"{SelectViews} WHERE kr.id = ANY(@Ids)", new { Ids = ids.ToArray() }, ct)).ToDictionary(v => v.Id);
        return [.. ids.Where(found.ContainsKey).Select(id => found[id])];
    }

    /// <summary>The key results of one team that are overdue now (for the manager's consolidated message).</summary>
    public async Task<IReadOnlyList<KeyResultView>> OverdueInTeamAsync(long teamId, DateTimeOffset now, CancellationToken ct) =>
        [.. (await QueryAsync($"{SelectViews} WHERE o.team_id = @TeamId ORDER BY overdue_since, kr.id", new { TeamId = teamId }, ct)).Where(v => v.IsOverdue(now))];

    private async Task<IReadOnlyList<KeyResultView>> QueryAsync(string sql, object parameters, CancellationToken ct)
    {
        await using var connection = await dataSource.OpenConnectionAsync(ct);
        return [.. await connection.QueryAsync<KeyResultView>(new CommandDefinition(sql, parameters, cancellationToken: ct))];
    }

    private const string RecordCheckin = """
        INSERT INTO checkins (key_result_id, person_id, value, confidence, blocker, created_at) VALUES (@Id, @PersonId, @Value, @Confidence, @Blocker, @Now);
        UPDATE key_results SET current_value = @Value, confidence = @Confidence, last_checkin_at = @Now, snoozed_until = NULL WHERE id = @Id;
        UPDATE deliveries SET status = 'cancelled', last_error = 'checked in'
        WHERE status = 'pending' AND kind = @NudgeKind AND person_id = @PersonId AND (payload->>'keyResultId')::bigint = @Id;
        """;

    /// <summary>
    /// Records a check-in and moves the key result to it. A snooze ends, and the key result's nudges still waiting in the
    /// outbox are cancelled: a check-in stops the ladder (the next overdue episode, if any, starts from step 1).
    /// </summary>
    public async Task CheckInAsync(long keyResultId, long personId, decimal value, int confidence, string? blocker, DateTimeOffset now, CancellationToken ct)
    {
        await using var connection = await dataSource.OpenConnectionAsync(ct);
        await using var transaction = await connection.BeginTransactionAsync(ct);
        await connection.ExecuteAsync(new CommandDefinition(RecordCheckin, new
        {
            Id = keyResultId,
            PersonId = personId,
            Value = value,
            Confidence = (short)confidence,
            Blocker = blocker,
            Now = now,
            NudgeKind = Scheduler.Nudges.NudgePlanner.OwnerKind,
        }, transaction, cancellationToken: ct));
        await transaction.CommitAsync(ct);
    }

    public async Task SnoozeAsync(long keyResultId, DateTimeOffset until, CancellationToken ct)
    {
        await using var connection = await dataSource.OpenConnectionAsync(ct);
        await connection.ExecuteAsync(new CommandDefinition("UPDATE key_results SET snoozed_until = @Until WHERE id = @Id", new { Id = keyResultId, Until = until }, cancellationToken: ct));
    }

    /// <summary>Sets (or with null, clears) the last day the person is away.</summary>
    public async Task SetAwayAsync(long personId, DateOnly? until, CancellationToken ct)
    {
        await using var connection = await dataSource.OpenConnectionAsync(ct);
        await connection.ExecuteAsync(new CommandDefinition("UPDATE people SET away_until = @Until, updated_at = now() WHERE id = @Id",
            new { Id = personId, Until = until }, cancellationToken: ct));
    }

    /// <summary>The person's own zone (the tenant's when unknown) and the last day they are away, if set.</summary>
    public async Task<(string Zone, DateTime? AwayUntil)> PersonAsync(long personId, CancellationToken ct)
    {
        await using var connection = await dataSource.OpenConnectionAsync(ct);
        return await connection.QuerySingleAsync<(string, DateTime?)>(new CommandDefinition(
            "SELECT coalesce(p.time_zone, t.time_zone), p.away_until::timestamp FROM people p JOIN tenants t ON t.id = p.tenant_id WHERE p.id = @Id",
            new { Id = personId }, cancellationToken: ct));
    }
}
