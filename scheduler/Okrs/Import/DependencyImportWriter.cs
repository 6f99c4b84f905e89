using Dapper;
using Npgsql;

namespace AlignmentBot.Scheduler.Okrs.Import;

/// <summary>
/// Writes the file's dependencies: for each key result the file gives them for, those it no longer lists are removed
/// (first, so a reversed dependency never trips the database's loop check) and the listed ones are added or updated
/// only when their date or note differs — so re-importing an unchanged file writes no row.
/// </summary>
internal static class DependencyImportWriter
{
    private const string Replace = """
        DELETE FROM key_result_dependencies d
        USING key_results w
        WHERE w.id = d.key_result_id AND w.tenant_id = @TenantId AND w.external_key = ANY(@Of)
          AND NOT EXISTS (SELECT 1 FROM unnest(@Froms, @Tos) AS l(f, t)
                          JOIN key_results kt ON kt.tenant_id = @TenantId AND kt.external_key = l.t
                          WHERE l.f = w.external_key AND kt.id = d.depends_on_id);
        INSERT INTO key_result_dependencies (tenant_id, key_result_id, depends_on_id, needed_by, note, created_at)
        SELECT @TenantId, w.id, kt.id, l.needed_by, l.note, @Now
        FROM unnest(@Froms, @Tos, @NeededBys, @Notes) AS l(f, t, needed_by, note)
        JOIN key_results w ON w.tenant_id = @TenantId AND w.external_key = l.f
        JOIN key_results kt ON kt.tenant_id = @TenantId AND kt.external_key = l.t
        ON CONFLICT (key_result_id, depends_on_id) DO UPDATE SET needed_by = EXCLUDED.needed_by, note = EXCLUDED.note
        WHERE (key_result_dependencies.needed_by, key_result_dependencies.note) IS DISTINCT FROM (EXCLUDED.needed_by, EXCLUDED.note)
        """;

    /// <summary>Returns how many dependencies were added, changed or removed.</summary>
    public static async Task<int> ReplaceAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, long tenantId, ImportPlan plan, DateTimeOffset now,
        CancellationToken ct)
    {
        if (plan.DependenciesOf.Count == 0)
        {
            return 0;
        }

        return await connection.ExecuteAsync(new CommandDefinition(Replace, new
        {
            TenantId = tenantId,
            Of = plan.DependenciesOf.ToArray(),
            Froms = plan.Dependencies.Select(d => d.From).ToArray(),
            Tos = plan.Dependencies.Select(d => d.To).ToArray(),
            NeededBys = plan.Dependencies.Select(d => d.NeededBy).ToArray(),
            Notes = plan.Dependencies.Select(d => d.Note).ToArray(),
            Now = now,
        }, transaction, cancellationToken: ct));
    }
}
