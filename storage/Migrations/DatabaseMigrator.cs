using AlignmentBot.Storage.Database;
using DbUp;
using DbUp.Engine;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Npgsql;

namespace AlignmentBot.Storage.Migrations;

/// <summary>
/// Applies the embedded <c>migrations/NNNN_*.sql</c> scripts with DbUp. Each script runs once
/// (journaled in <c>schemaversions</c>) in its own transaction; a PostgreSQL advisory lock makes
/// several instances starting together take turns instead of racing on the same script.
/// </summary>
public sealed class DatabaseMigrator(IOptions<PostgresOptions> options, ILogger<DatabaseMigrator> logger)
{
    // Any constant works; it only has to be the same in every instance.
    private const long AdvisoryLockKey = 0x416C69676E426F74; // "AlignBot"

    private readonly Lock _gate = new();
    private Task? _migration;

    /// <summary>Migrates once per process, however many start-up paths ask (a failed attempt may be retried).</summary>
    public Task EnsureMigratedAsync(CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            if (_migration is null || _migration.IsFaulted || _migration.IsCanceled)
            {
                _migration = MigrateAsync(cancellationToken);
            }

            return _migration;
        }
    }

    /// <summary>Applies the scripts not yet in the journal and returns their names.</summary>
    public async Task<IReadOnlyList<string>> MigrateAsync(CancellationToken cancellationToken)
    {
        var connectionString = options.Value.ConnectionString!;
        var database = ConnectionDescription.Describe(connectionString);

        await using var lockConnection = new NpgsqlConnection(connectionString);
        try
        {
            await lockConnection.OpenAsync(cancellationToken);
        }
        catch (NpgsqlException ex)
        {
            throw new DatabaseUnreachableException(database, ex);
        }

        await using (var take = new NpgsqlCommand("SELECT pg_advisory_lock(@key)", lockConnection))
        {
            take.Parameters.AddWithValue("key", AdvisoryLockKey);
            await take.ExecuteNonQueryAsync(cancellationToken);
        }

        try
        {
            var upgrader = DeployChanges.To
                .PostgresqlDatabase(connectionString)
                .WithScriptsEmbeddedInAssembly(typeof(DatabaseMigrator).Assembly, IsMigration)
                .JournalToPostgresqlTable("public", "schemaversions")
                .WithTransactionPerScript()
                // Scripts are plain SQL; DbUp's $variable$ substitution would corrupt $$-quoted bodies.
                .WithVariablesDisabled()
                .LogTo(new DbUpLog(logger))
                .Build();

            var result = upgrader.PerformUpgrade();
            if (!result.Successful)
            {
                throw new MigrationFailedException(result.ErrorScript?.Name, result.Error);
            }

            var applied = result.Scripts.Select(script => ScriptName(script)).ToList();
            logger.LogInformation("Database {Database}: {Count} migration(s) applied", database, applied.Count);
            return applied;
        }
        finally
        {
            await using var release = new NpgsqlCommand("SELECT pg_advisory_unlock(@key)", lockConnection);
            release.Parameters.AddWithValue("key", AdvisoryLockKey);
            await release.ExecuteNonQueryAsync(CancellationToken.None);
        }
    }

    private static bool IsMigration(string resourceName) =>
        resourceName.Contains(".migrations.", StringComparison.Ordinal) &&
        resourceName.EndsWith(".sql", StringComparison.Ordinal);

    /// <summary>"AlignmentBot.Storage.migrations.0002_x.sql" → "0002_x.sql".</summary>
    private static string ScriptName(SqlScript script) =>
        script.Name[(script.Name.IndexOf(".migrations.", StringComparison.Ordinal) + ".migrations.".Length)..];
}

public sealed class MigrationFailedException(string? script, Exception? inner)
    : Exception($"Migration {script ?? "(unknown)"} failed: {inner?.Message}", inner);

public sealed class DatabaseUnreachableException(string database, Exception inner)
    : Exception($"Cannot reach PostgreSQL at {database}: {inner.Message}", inner);
