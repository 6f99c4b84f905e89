using System.Text.Json;
using Dapper;
using Npgsql;

namespace AlignmentBot.Scheduler.Okrs.Dependencies;

/// <summary>
/// Chat edits of dependencies (<c>depends on &lt;key&gt;</c>, <c>no longer depends on &lt;key&gt;</c>): only by the owner of
/// the key result that waits, never making a loop, each audited. Runs under the tenant's OKR lock (the import's), so an
/// import and a chat edit cannot together make a loop neither would make alone.
/// </summary>
public sealed class DependencyEditor(NpgsqlDataSource dataSource, TimeProvider time)
{
    private sealed record KeyResultRow(long Id, string? Key, string Title, long? TeamId, string? Team, long? OwnerId, string? Owner)
    {
        public DependencyEnd End => new(Id, Key, Title, TeamId, Team, OwnerId, Owner);
    }

    private const string SelectKeyResults = """
        SELECT kr.id, kr.external_key AS key, kr.title, o.team_id, tm.name AS team, kr.owner_id, p.display_name AS owner
        FROM key_results kr JOIN objectives o ON o.id = kr.objective_id
        LEFT JOIN teams tm ON tm.id = o.team_id LEFT JOIN people p ON p.id = kr.owner_id
        WHERE kr.tenant_id = @TenantId AND (kr.owner_id = @PersonId OR lower(kr.external_key) = lower(@Key))
        ORDER BY kr.external_key, kr.id
        """;

    private const string Upsert = """
        INSERT INTO key_result_dependencies (tenant_id, key_result_id, depends_on_id, needed_by, note, created_at)
        VALUES (@TenantId, @From, @To, @NeededBy, @Note, @Now)
        ON CONFLICT (key_result_id, depends_on_id) DO UPDATE SET needed_by = EXCLUDED.needed_by, note = EXCLUDED.note
        RETURNING (xmax = 0)
        """;

    public Task<DependencyEdit> AddAsync(long tenantId, long personId, string dependsOnKey, string? forKey, DateOnly? neededBy, string? note, CancellationToken ct) =>
        EditAsync(tenantId, personId, dependsOnKey, forKey, async (connection, transaction, waiting, waitedOn) =>
        {
            var edges = await connection.QueryAsync<(long From, long To)>(new CommandDefinition(
                "SELECT key_result_id, depends_on_id FROM key_result_dependencies WHERE tenant_id = @TenantId", new { TenantId = tenantId }, transaction, cancellationToken: ct));
            var graph = new DependencyGraph<long>();
            foreach (var (from, to) in edges)
            {
                graph.Add(from, to);
            }

            graph.Add(waiting.Id, waitedOn.Id);
            if (graph.LoopThrough(waiting.Id) is { } loop)
            {
                var names = (await connection.QueryAsync<(long Id, string Title, string? Team)>(new CommandDefinition(
                    "SELECT kr.id, kr.title, tm.name FROM key_results kr JOIN objectives o ON o.id = kr.objective_id LEFT JOIN teams tm ON tm.id = o.team_id WHERE kr.id = ANY(@Ids)",
                    new { Ids = loop.Distinct().ToArray() }, transaction, cancellationToken: ct))).ToDictionary(n => n.Id, n => n.Team is { } t ? $"{t} · {n.Title}" : n.Title);
                return new DependencyEdit(DependencyEditOutcome.Loop, waiting.End, waitedOn.End, Loop: [.. loop.Select(id => names[id])]);
            }

            var created = await connection.ExecuteScalarAsync<bool>(new CommandDefinition(Upsert, new
            {
                TenantId = tenantId, From = waiting.Id, To = waitedOn.Id, NeededBy = neededBy, Note = note, Now = time.GetUtcNow(),
            }, transaction, cancellationToken: ct));
            await AuditAsync(connection, transaction, tenantId, personId, created ? "okr.dependency.add" : "okr.dependency.update", waiting, waitedOn, neededBy, note, ct);
            return new DependencyEdit(created ? DependencyEditOutcome.Added : DependencyEditOutcome.Updated, waiting.End, waitedOn.End);
        }, ct);

    public Task<DependencyEdit> RemoveAsync(long tenantId, long personId, string dependsOnKey, string? forKey, CancellationToken ct) =>
        EditAsync(tenantId, personId, dependsOnKey, forKey, async (connection, transaction, waiting, waitedOn) =>
        {
            var removed = await connection.ExecuteAsync(new CommandDefinition(
                "DELETE FROM key_result_dependencies WHERE key_result_id = @From AND depends_on_id = @To", new { From = waiting.Id, To = waitedOn.Id }, transaction, cancellationToken: ct));
            if (removed == 0)
            {
                return new DependencyEdit(DependencyEditOutcome.NotDependent, waiting.End, waitedOn.End);
            }

            await AuditAsync(connection, transaction, tenantId, personId, "okr.dependency.remove", waiting, waitedOn, null, null, ct);
            return new DependencyEdit(DependencyEditOutcome.Removed, waiting.End, waitedOn.End);
        }, ct);

    private async Task<DependencyEdit> EditAsync(long tenantId, long personId, string dependsOnKey, string? forKey,
        Func<NpgsqlConnection, NpgsqlTransaction, KeyResultRow, KeyResultRow, Task<DependencyEdit>> edit, CancellationToken ct)
    {
        await using var connection = await dataSource.OpenConnectionAsync(ct);
        await using var transaction = await connection.BeginTransactionAsync(ct);
        await connection.ExecuteAsync(new CommandDefinition("SELECT pg_advisory_xact_lock(hashtext('okr-import'), @TenantId::int)", new { TenantId = tenantId }, transaction, cancellationToken: ct));
        var rows = (await connection.QueryAsync<KeyResultRow>(new CommandDefinition(SelectKeyResults,
            new { TenantId = tenantId, PersonId = personId, Key = dependsOnKey }, transaction, cancellationToken: ct))).AsList();
        var owned = rows.Where(r => r.OwnerId == personId).ToList();
        var ownedKeys = owned.Select(r => r.Key ?? r.Title).ToList();
        var waiting = forKey is null
            ? owned is [var only] ? only : null
            : owned.FirstOrDefault(r => string.Equals(r.Key, forKey, StringComparison.OrdinalIgnoreCase));
        if (waiting is null)
        {
            return new DependencyEdit(owned.Count > 1 && forKey is null ? DependencyEditOutcome.WhichOne : DependencyEditOutcome.NotOwner, Owned: ownedKeys);
        }

        if (rows.FirstOrDefault(r => string.Equals(r.Key, dependsOnKey, StringComparison.OrdinalIgnoreCase)) is not { } waitedOn)
        {
            return new DependencyEdit(DependencyEditOutcome.UnknownKey, waiting.End, Owned: ownedKeys);
        }

        if (waitedOn.Id == waiting.Id)
        {
            return new DependencyEdit(DependencyEditOutcome.Itself, waiting.End, waitedOn.End);
        }

        var result = await edit(connection, transaction, waiting, waitedOn);
        await transaction.CommitAsync(ct);
        return result;
    }

    private async Task AuditAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, long tenantId, long personId, string action,
        KeyResultRow waiting, KeyResultRow waitedOn, DateOnly? neededBy, string? note, CancellationToken ct) =>
        await connection.ExecuteAsync(new CommandDefinition(
            "INSERT INTO audit_log (tenant_id, actor, action, subject, details, created_at) VALUES (@TenantId, @Actor, @Action, @Subject, @Details::jsonb, @Now)",
            new
            {
                TenantId = tenantId,
                Actor = $"person:{personId}",
                Action = action,
                Subject = $"{waiting.Key ?? waiting.Title} → {waitedOn.Key ?? waitedOn.Title}",
                Details = JsonSerializer.Serialize(new { keyResultId = waiting.Id, dependsOnId = waitedOn.Id, neededBy, note }, JsonSerializerOptions.Web),
                Now = time.GetUtcNow(),
            }, transaction, cancellationToken: ct));
}
