using System.Text.Json;
using AlignmentBot.Scheduler.Tenants;
using Dapper;
using Npgsql;

namespace AlignmentBot.Scheduler.Okrs.Import;

/// <summary>What an import did. Re-importing the same file reports everything unchanged and writes nothing.</summary>
/// <remarks><c>DependenciesChanged</c>: dependencies added, changed (date, note) or removed.</remarks>
public sealed record ImportOutcome(int ObjectivesCreated, int ObjectivesUpdated, int ObjectivesUnchanged, int KeyResultsCreated, int KeyResultsUpdated, int KeyResultsUnchanged,
    int DependenciesChanged = 0);

/// <summary>
/// Imports objectives and key results, all or nothing, keyed by their stable external keys. A key result's current
/// value and confidence are taken from the file only when it is created: after that, check-ins own them, so
/// re-importing the plan never rolls progress back.
/// </summary>
public sealed class OkrImporter(NpgsqlDataSource dataSource, TimeProvider time)
{
    /// <summary>Refused: nothing was written; <see cref="Problems"/> lists every bad row.</summary>
    public sealed class RefusedException(IReadOnlyList<ImportProblem> problems)
        : Exception($"{problems.Count} row{(problems.Count == 1 ? "" : "s")} cannot be imported.")
    {
        public IReadOnlyList<ImportProblem> Problems { get; } = problems;
    }

    private const string SelectTenant = "SELECT id FROM tenants WHERE platform = @Platform AND external_id = @Tenant";

    private const string SelectDirectory = """
        SELECT lower(name) AS key, id FROM teams WHERE tenant_id = @TenantId
        UNION ALL SELECT lower(external_id), id FROM teams WHERE tenant_id = @TenantId AND external_id IS NOT NULL;
        SELECT lower(platform_user_id) AS key, id FROM people WHERE tenant_id = @TenantId
        UNION ALL SELECT lower(email), id FROM people WHERE tenant_id = @TenantId AND email IS NOT NULL;
        SELECT o.external_key AS key, p.external_key AS parent
        FROM objectives o LEFT JOIN objectives p ON p.id = o.parent_objective_id
        WHERE o.tenant_id = @TenantId AND o.external_key IS NOT NULL;
        SELECT external_key FROM key_results WHERE tenant_id = @TenantId AND external_key IS NOT NULL;
        SELECT coalesce(w.external_key, '#' || w.id) AS from_key, coalesce(kt.external_key, '#' || kt.id) AS to_key
        FROM key_result_dependencies d JOIN key_results w ON w.id = d.key_result_id JOIN key_results kt ON kt.id = d.depends_on_id
        WHERE d.tenant_id = @TenantId
        """;

    /// <summary>Imports the rows for the tenant (its platform id); throws <see cref="RefusedException"/> when any row is bad.</summary>
    public async Task<ImportOutcome> ImportAsync(TenantAddress tenant, IReadOnlyList<ImportRow> rows, CancellationToken ct)
    {
        await using var connection = await dataSource.OpenConnectionAsync(ct);
        var tenantId = await connection.ExecuteScalarAsync<long?>(new CommandDefinition(SelectTenant, tenant.Args, cancellationToken: ct))
            ?? throw new KeyNotFoundException($"No {tenant} is known (the app must be installed there first).");

        await using var transaction = await connection.BeginTransactionAsync(ct);
        // One import per tenant at a time, so two uploads of one file cannot race each other into duplicates.
        await connection.ExecuteAsync(new CommandDefinition("SELECT pg_advisory_xact_lock(hashtext('okr-import'), @TenantId::int)", new { TenantId = tenantId }, transaction, cancellationToken: ct));
        var directory = await DirectoryAsync(connection, transaction, tenantId, ct);
        var (plan, problems) = ImportValidator.Check(rows, directory);
        if (plan is null)
        {
            throw new RefusedException(problems);
        }

        var (oCreated, oUpdated) = await OkrImportWriter.UpsertObjectivesAsync(connection, transaction, tenantId, plan.Objectives, time.GetUtcNow(), ct);
        var (kCreated, kUpdated) = await OkrImportWriter.UpsertKeyResultsAsync(connection, transaction, tenantId, plan.KeyResults, time.GetUtcNow(), ct);
        var dChanged = await DependencyImportWriter.ReplaceAsync(connection, transaction, tenantId, plan, time.GetUtcNow(), ct);
        var outcome = new ImportOutcome(oCreated, oUpdated, plan.Objectives.Count - oCreated - oUpdated, kCreated, kUpdated, plan.KeyResults.Count - kCreated - kUpdated, dChanged);
        if (oCreated + oUpdated + kCreated + kUpdated + dChanged > 0)
        {
            await connection.ExecuteAsync(new CommandDefinition(
                "INSERT INTO audit_log (tenant_id, actor, action, details, created_at) VALUES (@TenantId, 'admin-api', 'okr.import', @Details::jsonb, @Now)",
                new { TenantId = tenantId, Details = JsonSerializer.Serialize(outcome, JsonSerializerOptions.Web), Now = time.GetUtcNow() }, transaction, cancellationToken: ct));
        }

        await transaction.CommitAsync(ct);
        return outcome;
    }

    private static async Task<ImportDirectory> DirectoryAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, long tenantId, CancellationToken ct)
    {
        await using var results = await connection.QueryMultipleAsync(new CommandDefinition(SelectDirectory, new { TenantId = tenantId }, transaction, cancellationToken: ct));
        static Dictionary<string, long[]> ByKey(IEnumerable<(string Key, long Id)> rows) =>
            rows.GroupBy(r => r.Key, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.Select(r => r.Id).Distinct().ToArray(), StringComparer.Ordinal);

        var teams = ByKey(await results.ReadAsync<(string, long)>());
        var people = ByKey(await results.ReadAsync<(string, long)>());
        var objectives = (await results.ReadAsync<(string Key, string? Parent)>()).ToDictionary(o => o.Key, o => o.Parent, StringComparer.Ordinal);
        var keyResults = (await results.ReadAsync<string>()).ToHashSet(StringComparer.Ordinal);
        var dependencies = (await results.ReadAsync<(string From, string To)>()).ToList();
        return new ImportDirectory(teams, people, objectives) { ExistingKeyResults = keyResults, ExistingDependencies = dependencies };
    }
}
