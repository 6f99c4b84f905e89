using Dapper;
using Npgsql;

namespace AlignmentBot.Scheduler.Okrs.Dependencies;

/// <summary>
/// Reads dependencies with everything their state needs, and applies the one rule (<see cref="KeyResultRules.Dependency"/>)
/// so chat, digests, the roll-up and nudges all say the same. Works on the caller's connection, so a digest reads its
/// dependencies in the same snapshot as the rest of it.
/// </summary>
public static class DependencyReader
{
    private sealed record Row(
        long Id, long TenantId, DateTime? NeededBy, string? Note, DateTime CreatedAt, string TenantZone,
        long WaitingId, string? WaitingKey, string WaitingTitle, long? WaitingTeamId, string? WaitingTeam, long? WaitingOwnerId, string? WaitingOwner,
        long WaitedOnId, string? WaitedOnKey, string WaitedOnTitle, long? WaitedOnTeamId, string? WaitedOnTeam, long? WaitedOnOwnerId, string? WaitedOnOwner,
        decimal StartValue, decimal TargetValue, decimal CurrentValue, short? Confidence, DateTime? LastCheckinAt, DateTime WaitedOnCreatedAt,
        DateTime OverdueSince, DateTime? SnoozedUntil);

    // kr and t are the aliases the overdue rule expects: kr is the key result waited on.
    private static readonly string Select = $"""
        SELECT d.id, d.tenant_id, d.needed_by::timestamp AS needed_by, d.note, d.created_at, t.time_zone AS tenant_zone,
               w.id AS waiting_id, w.external_key AS waiting_key, w.title AS waiting_title, wo.team_id AS waiting_team_id, wt.name AS waiting_team,
               w.owner_id AS waiting_owner_id, wp.display_name AS waiting_owner,
               kr.id AS waited_on_id, kr.external_key AS waited_on_key, kr.title AS waited_on_title, o.team_id AS waited_on_team_id, tm.name AS waited_on_team,
               kr.owner_id AS waited_on_owner_id, p.display_name AS waited_on_owner,
               kr.start_value, kr.target_value, kr.current_value, kr.confidence, kr.last_checkin_at, kr.created_at AS waited_on_created_at,
               {KeyResultRules.OverdueSinceForTenantSql} AS overdue_since, kr.snoozed_until
        FROM key_result_dependencies d
        JOIN tenants t ON t.id = d.tenant_id
        JOIN key_results w ON w.id = d.key_result_id
        JOIN objectives wo ON wo.id = w.objective_id
        LEFT JOIN teams wt ON wt.id = wo.team_id
        LEFT JOIN people wp ON wp.id = w.owner_id
        JOIN key_results kr ON kr.id = d.depends_on_id
        JOIN objectives o ON o.id = kr.objective_id
        LEFT JOIN teams tm ON tm.id = o.team_id
        LEFT JOIN people p ON p.id = kr.owner_id
        """;

    /// <summary>Dependencies either end of which is one of the key results.</summary>
    public static Task<IReadOnlyList<DependencyLink>> OfKeyResultsAsync(NpgsqlConnection connection, IReadOnlyList<long> keyResultIds, DateTimeOffset now, CancellationToken ct,
        NpgsqlTransaction? transaction = null) =>
        QueryAsync(connection, transaction, $"{Select} WHERE d.key_result_id = ANY(@Ids) OR d.depends_on_id = ANY(@Ids) ORDER BY d.id", new { Ids = keyResultIds.ToArray() }, now, ct);

    /// <summary>
    /// The query of <see cref="OfTeamsAsync"/> (teams as <c>@Teams</c>), for a caller that sends it in one round trip with
    /// others; its rows are read back with <see cref="ReadAsync"/>.
    /// </summary>
    public static readonly string OfTeamsSql = $"{Select} WHERE wo.team_id = ANY(@Teams) OR o.team_id = ANY(@Teams) ORDER BY d.id";

    /// <summary>Dependencies either end of which belongs to one of the teams.</summary>
    public static Task<IReadOnlyList<DependencyLink>> OfTeamsAsync(NpgsqlConnection connection, IReadOnlyList<long> teamIds, DateTimeOffset now, CancellationToken ct,
        NpgsqlTransaction? transaction = null) =>
        QueryAsync(connection, transaction, OfTeamsSql, new { Teams = teamIds.ToArray() }, now, ct);

    /// <summary>The links of an <see cref="OfTeamsSql"/> result read in a batch.</summary>
    public static async Task<IReadOnlyList<DependencyLink>> ReadAsync(SqlMapper.GridReader batch, DateTimeOffset now) =>
        [.. (await batch.ReadAsync<Row>()).Select(r => Link(r, now))];

    /// <summary>Dependencies by id (those a message is about).</summary>
    public static Task<IReadOnlyList<DependencyLink>> ByIdsAsync(NpgsqlConnection connection, IReadOnlyList<long> ids, DateTimeOffset now, CancellationToken ct) =>
        QueryAsync(connection, null, $"{Select} WHERE d.id = ANY(@Ids) ORDER BY d.id", new { Ids = ids.ToArray() }, now, ct);

    /// <summary>Every dependency of the tenant.</summary>
    public static Task<IReadOnlyList<DependencyLink>> OfTenantAsync(NpgsqlConnection connection, NpgsqlTransaction? transaction, long tenantId, DateTimeOffset now, CancellationToken ct) =>
        QueryAsync(connection, transaction, $"{Select} WHERE d.tenant_id = @TenantId ORDER BY d.id", new { TenantId = tenantId }, now, ct);

    private static async Task<IReadOnlyList<DependencyLink>> QueryAsync(NpgsqlConnection connection, NpgsqlTransaction? transaction, string sql, object args,
        DateTimeOffset now, CancellationToken ct)
    {
        var rows = await connection.QueryAsync<Row>(new CommandDefinition(sql, args, transaction, cancellationToken: ct));
        return [.. rows.Select(r => Link(r, now))];
    }

    private static DependencyLink Link(Row r, DateTimeOffset now)
    {
        var zone = Calendar.WorkingTime.Zone(r.TenantZone, TimeZoneInfo.Utc);
        var overdueSince = Utc(r.OverdueSince);
        var health = KeyResultRules.Health(r.Confidence, now >= overdueSince);
        var progress = KeyResultRules.Progress(r.StartValue, r.TargetValue, r.CurrentValue);
        DateOnly? neededBy = r.NeededBy is { } n ? DateOnly.FromDateTime(n) : null;
        var state = KeyResultRules.Dependency(health, progress, neededBy, DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(now, zone).DateTime));
        var since = KeyResultRules.DependencySince(state, health, neededBy, overdueSince, Utc(r.LastCheckinAt ?? r.WaitedOnCreatedAt), zone);
        return new DependencyLink(r.Id, r.TenantId,
            new DependencyEnd(r.WaitingId, r.WaitingKey, r.WaitingTitle, r.WaitingTeamId, r.WaitingTeam, r.WaitingOwnerId, r.WaitingOwner),
            new DependencyEnd(r.WaitedOnId, r.WaitedOnKey, r.WaitedOnTitle, r.WaitedOnTeamId, r.WaitedOnTeam, r.WaitedOnOwnerId, r.WaitedOnOwner),
            neededBy, r.Note, Utc(r.CreatedAt), health, progress, overdueSince, r.SnoozedUntil is { } s ? Utc(s) : null, state, since);
    }

    private static DateTimeOffset Utc(DateTime value) => new(DateTime.SpecifyKind(value, DateTimeKind.Utc));
}
