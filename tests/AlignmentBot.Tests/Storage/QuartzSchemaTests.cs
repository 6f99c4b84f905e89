using AlignmentBot.Tests.Support;
using Npgsql;

namespace AlignmentBot.Tests.Storage;

/// <summary>Quartz does not create its tables here, so ours must be exactly the ones it expects.</summary>
public class QuartzSchemaTests
{
    private const string Columns = """
        SELECT string_agg(format('%s.%s %s %s %s %s', table_name, column_name, data_type,
                                 coalesce(character_maximum_length::text, '-'), is_nullable, coalesce(column_default, '-')),
                          E'\n' ORDER BY table_name, column_name)
        FROM information_schema.columns
        WHERE table_schema = 'public' AND table_name LIKE 'qrtz%'
        """;

    private const string Indexes = """
        SELECT string_agg(indexdef, E'\n' ORDER BY indexdef)
        FROM pg_indexes
        WHERE schemaname = 'public' AND tablename LIKE 'qrtz%'
        """;

    private const string Constraints = """
        SELECT string_agg(format('%s %s', conrelid::regclass, pg_get_constraintdef(oid)), E'\n' ORDER BY 1)
        FROM pg_constraint
        WHERE conrelid::regclass::text LIKE 'qrtz%'
        """;

    [Test]
    public async Task Our_migration_creates_exactly_the_tables_Quartz_creates_for_itself()
    {
        await using var ours = await TestDatabase.CreateAsync();
        await using var quartzOwn = await TestDatabase.CreateAsync(migrated: false);
        await ApplyQuartzEmbeddedSchemaAsync(quartzOwn.ConnectionString);

        Assert.That(await ours.ScalarAsync<string>(Columns), Is.EqualTo(await quartzOwn.ScalarAsync<string>(Columns)));
        Assert.That(await ours.ScalarAsync<string>(Indexes), Is.EqualTo(await quartzOwn.ScalarAsync<string>(Indexes)));
        Assert.That(await ours.ScalarAsync<string>(Constraints), Is.EqualTo(await quartzOwn.ScalarAsync<string>(Constraints)));
    }

    /// <summary>The DDL the Quartz package itself runs when asked to provision (statements split on "--;;").</summary>
    private static async Task ApplyQuartzEmbeddedSchemaAsync(string connectionString)
    {
        var assembly = typeof(Quartz.IScheduler).Assembly;
        await using var stream = assembly.GetManifestResourceStream("Quartz.Impl.AdoJobStore.Schema.create_postgres.sql")
            ?? throw new InvalidOperationException("Quartz no longer embeds its PostgreSQL schema; compare against its published script instead.");
        using var reader = new StreamReader(stream);
        var script = (await reader.ReadToEndAsync()).Replace("{0}", "qrtz_", StringComparison.Ordinal).Replace("{1}", "qrtz_", StringComparison.Ordinal);

        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        foreach (var statement in script.Split("--;;", StringSplitOptions.RemoveEmptyEntries))
        {
            if (statement.Contains("CREATE", StringComparison.Ordinal))
            {
                await using var command = new NpgsqlCommand(statement, connection);
                await command.ExecuteNonQueryAsync();
            }
        }
    }
}
