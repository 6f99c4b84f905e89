using Dapper;
using Npgsql;

namespace AlignmentBot.Scheduler.Okrs.Import;

/// <summary>
/// The upserts behind an import. Each updates a row only when something in it differs (<c>IS DISTINCT FROM</c>), so
/// re-importing an unchanged file writes no row at all; <c>xmax = 0</c> tells a fresh insert from an update.
/// </summary>
internal static class OkrImportWriter
{
    private const string UpsertObjectives = """
        INSERT INTO objectives (tenant_id, external_key, title, team_id, cycle, created_at)
        SELECT @TenantId, o.key, o.title, o.team_id, o.cycle, @Now
        FROM unnest(@Keys, @Titles, @TeamIds, @Cycles) AS o(key, title, team_id, cycle)
        ON CONFLICT (tenant_id, external_key) DO UPDATE
        SET title = EXCLUDED.title, team_id = EXCLUDED.team_id, cycle = EXCLUDED.cycle
        WHERE (objectives.title, objectives.team_id, objectives.cycle) IS DISTINCT FROM (EXCLUDED.title, EXCLUDED.team_id, EXCLUDED.cycle)
        RETURNING external_key AS key, (xmax = 0) AS created
        """;

    private const string LinkParents = """
        UPDATE objectives o SET parent_objective_id = p.id
        FROM unnest(@Keys, @ParentKeys) AS l(key, parent_key)
        LEFT JOIN objectives p ON p.tenant_id = @TenantId AND p.external_key = l.parent_key
        WHERE o.tenant_id = @TenantId AND o.external_key = l.key AND o.parent_objective_id IS DISTINCT FROM p.id
        RETURNING o.external_key
        """;

    public static async Task<(int Created, int Updated)> UpsertObjectivesAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, long tenantId,
        IReadOnlyList<PlannedObjective> objectives, DateTimeOffset now, CancellationToken ct)
    {
        var keys = objectives.Select(o => o.Key).ToArray();
        var written = (await connection.QueryAsync<(string Key, bool Created)>(new CommandDefinition(UpsertObjectives, new
        {
            TenantId = tenantId,
            Keys = keys,
            Titles = objectives.Select(o => o.Title).ToArray(),
            TeamIds = objectives.Select(o => o.TeamId).ToArray(),
            Cycles = objectives.Select(o => o.Cycle).ToArray(),
            Now = now,
        }, transaction, cancellationToken: ct))).AsList();

        // Parents second: a parent may be created by this same import.
        var relinked = (await connection.QueryAsync<string>(new CommandDefinition(LinkParents, new
        {
            TenantId = tenantId,
            Keys = keys,
            ParentKeys = objectives.Select(o => o.ParentKey).ToArray(),
        }, transaction, cancellationToken: ct))).ToHashSet(StringComparer.Ordinal);

        var created = written.Where(w => w.Created).Select(w => w.Key).ToHashSet(StringComparer.Ordinal);
        var updated = written.Where(w => !w.Created).Select(w => w.Key).Union(relinked.Except(created), StringComparer.Ordinal).Count();
        return (created.Count, updated);
    }

    private const string UpsertKeyResults = """
        INSERT INTO key_results (tenant_id, objective_id, external_key, title, owner_id, start_value, target_value, current_value, unit, direction,
                                 confidence, checkin_cadence_days, starts_on, due_on, created_at)
        SELECT @TenantId, o.id, k.key, k.title, k.owner_id, k.start_value, k.target_value, coalesce(k.current_value, k.start_value), k.unit, k.direction,
               k.confidence, k.cadence, k.starts_on, k.due_on, @Now
        FROM unnest(@Keys, @ObjectiveKeys, @Titles, @OwnerIds, @Starts, @Targets, @Currents, @Units, @Directions, @Confidences, @Cadences, @StartsOn, @DueOn)
             AS k(key, objective_key, title, owner_id, start_value, target_value, current_value, unit, direction, confidence, cadence, starts_on, due_on)
        JOIN objectives o ON o.tenant_id = @TenantId AND o.external_key = k.objective_key
        ON CONFLICT (tenant_id, external_key) DO UPDATE
        SET objective_id = EXCLUDED.objective_id, title = EXCLUDED.title, owner_id = EXCLUDED.owner_id, start_value = EXCLUDED.start_value,
            target_value = EXCLUDED.target_value, unit = EXCLUDED.unit, direction = EXCLUDED.direction,
            checkin_cadence_days = EXCLUDED.checkin_cadence_days, starts_on = EXCLUDED.starts_on, due_on = EXCLUDED.due_on
        WHERE (key_results.objective_id, key_results.title, key_results.owner_id, key_results.start_value, key_results.target_value, key_results.unit,
               key_results.direction, key_results.checkin_cadence_days, key_results.starts_on, key_results.due_on)
              IS DISTINCT FROM
              (EXCLUDED.objective_id, EXCLUDED.title, EXCLUDED.owner_id, EXCLUDED.start_value, EXCLUDED.target_value, EXCLUDED.unit,
               EXCLUDED.direction, EXCLUDED.checkin_cadence_days, EXCLUDED.starts_on, EXCLUDED.due_on)
        RETURNING (xmax = 0) AS created
        """;

    public static async Task<(int Created, int Updated)> UpsertKeyResultsAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, long tenantId,
        IReadOnlyList<PlannedKeyResult> keyResults, DateTimeOffset now, CancellationToken ct)
    {
        var written = (await connection.QueryAsync<bool>(new CommandDefinition(UpsertKeyResults, new
        {
            TenantId = tenantId,
            Keys = keyResults.Select(k => k.Key).ToArray(),
            ObjectiveKeys = keyResults.Select(k => k.ObjectiveKey).ToArray(),
            Titles = keyResults.Select(k => k.Title).ToArray(),
            OwnerIds = keyResults.Select(k => k.OwnerId).ToArray(),
            Starts = keyResults.Select(k => k.Start).ToArray(),
            Targets = keyResults.Select(k => k.Target).ToArray(),
            Currents = keyResults.Select(k => k.Current).ToArray(),
            Units = keyResults.Select(k => k.Unit).ToArray(),
            Directions = keyResults.Select(k => k.Direction).ToArray(),
            Confidences = keyResults.Select(k => (short?)k.Confidence).ToArray(),
            Cadences = keyResults.Select(k => k.CadenceDays).ToArray(),
            StartsOn = keyResults.Select(k => k.StartsOn).ToArray(),
            DueOn = keyResults.Select(k => k.DueOn).ToArray(),
            Now = now,
        }, transaction, cancellationToken: ct))).AsList();
        return (written.Count(c => c), written.Count(c => !c));
    }
}
