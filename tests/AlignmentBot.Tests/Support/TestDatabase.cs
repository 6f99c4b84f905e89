using AlignmentBot.Storage.Database;
using AlignmentBot.Storage.Migrations;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Npgsql;

namespace AlignmentBot.Tests.Support;

/// <summary>
/// A fresh, uniquely named database on the test PostgreSQL server, dropped when disposed.
/// The server comes from ALIGNMENTBOT_TEST_POSTGRES (set by scripts/test.sh), else the local
/// development cluster of scripts/db.sh.
/// </summary>
public sealed class TestDatabase : IAsyncDisposable
{
    private const string Variable = "ALIGNMENTBOT_TEST_POSTGRES";
    private const string LocalDefault = "Host=127.0.0.1;Port=55432;Username=postgres;Database=postgres";

    private TestDatabase(string name, string connectionString)
    {
        Name = name;
        ConnectionString = connectionString;
    }

    public string Name { get; }

    public string ConnectionString { get; }

    public static string ServerConnectionString =>
        Environment.GetEnvironmentVariable(Variable) is { Length: > 0 } configured ? configured : LocalDefault;

    public static async Task<TestDatabase> CreateAsync(bool migrated = true)
    {
        var name = $"abt_{Guid.NewGuid():N}"[..20];
        try
        {
            await using var server = new NpgsqlConnection(ServerConnectionString);
            await server.OpenAsync();
            await using var create = new NpgsqlCommand($"CREATE DATABASE \"{name}\"", server);
            await create.ExecuteNonQueryAsync();
        }
        catch (NpgsqlException ex)
        {
            throw new InvalidOperationException(
                $"No test PostgreSQL at {ConnectionDescription.Describe(ServerConnectionString)} ({ex.Message}). " +
                $"Run the tests with scripts/test.sh, or start scripts/db.sh, or set {Variable}.", ex);
        }

        var database = new TestDatabase(name, new NpgsqlConnectionStringBuilder(ServerConnectionString) { Database = name }.ConnectionString);
        if (migrated)
        {
            await database.MigrateAsync();
        }

        return database;
    }

    public Task<IReadOnlyList<string>> MigrateAsync() =>
        new DatabaseMigrator(Options.Create(new PostgresOptions { ConnectionString = ConnectionString }), NullLogger<DatabaseMigrator>.Instance)
            .MigrateAsync(CancellationToken.None);

    public NpgsqlDataSource CreateDataSource() => NpgsqlDataSource.Create(ConnectionString);

    public async Task<T?> ScalarAsync<T>(string sql)
    {
        await using var connection = new NpgsqlConnection(ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        var value = await command.ExecuteScalarAsync();
        return value is null or DBNull ? default : (T)value;
    }

    public async Task ExecuteAsync(string sql)
    {
        await using var connection = new NpgsqlConnection(ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }

    /// <summary>Runs SQL against the server's maintenance database (e.g. to refuse connections to this one).</summary>
    public static async Task ExecuteOnServerAsync(string sql)
    {
        await using var server = new NpgsqlConnection(ServerConnectionString);
        await server.OpenAsync();
        await using var command = new NpgsqlCommand(sql, server);
        await command.ExecuteNonQueryAsync();
    }

    public async ValueTask DisposeAsync()
    {
        NpgsqlConnection.ClearAllPools();
        await ExecuteOnServerAsync($"DROP DATABASE IF EXISTS \"{Name}\" WITH (FORCE)");
    }
}
