using Dapper;
using Npgsql;

namespace AlignmentBot.Scheduler.Pulses;

/// <summary>Closes the runs whose answer window has ended; from then on answers are refused and results can be shown.</summary>
public sealed class RunCloser(NpgsqlDataSource dataSource)
{
    private const string CloseDue = """
        UPDATE survey_runs SET status = 'closed', closed_at = closes_at
        WHERE status = 'open' AND closes_at <= @Now
        RETURNING id
        """;

    /// <summary>Closes every run due by <paramref name="now"/> (idempotent: a closed run stays as it is); returns the runs closed.</summary>
    public async Task<IReadOnlyList<long>> CloseDueAsync(DateTimeOffset now, CancellationToken ct)
    {
        await using var connection = await dataSource.OpenConnectionAsync(ct);
        return (await connection.QueryAsync<long>(new CommandDefinition(CloseDue, new { Now = now }, cancellationToken: ct))).AsList();
    }
}
