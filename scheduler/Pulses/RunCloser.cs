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

    private const string CloseNow = """
        UPDATE survey_runs SET status = 'closed', closed_at = @Now, closes_at = least(closes_at, @Now)
        WHERE id = @RunId AND status = 'open'
        RETURNING id
        """;

    /// <summary>An admin closes a run early; false when there is no open run with that id.</summary>
    public async Task<bool> CloseNowAsync(long runId, DateTimeOffset now, CancellationToken ct)
    {
        await using var connection = await dataSource.OpenConnectionAsync(ct);
        return await connection.ExecuteScalarAsync<long?>(new CommandDefinition(CloseNow, new { RunId = runId, Now = now }, cancellationToken: ct)) is not null;
    }

    /// <summary>The run's status, or null when there is no such run.</summary>
    public async Task<string?> StatusAsync(long runId, CancellationToken ct)
    {
        await using var connection = await dataSource.OpenConnectionAsync(ct);
        return await connection.ExecuteScalarAsync<string?>(new CommandDefinition("SELECT status FROM survey_runs WHERE id = @RunId", new { RunId = runId }, cancellationToken: ct));
    }

    public sealed record RunSummary(long Id, string Status, DateTimeOffset OpenedAt, DateTimeOffset ClosesAt, int AudienceSize, string? NotSentReason);

    /// <summary>A survey's runs, newest first, with why a run was not sent (for the admin).</summary>
    public async Task<IReadOnlyList<RunSummary>> RunsAsync(long surveyId, CancellationToken ct)
    {
        await using var connection = await dataSource.OpenConnectionAsync(ct);
        var rows = await connection.QueryAsync<(long Id, string Status, DateTime OpenedAt, DateTime ClosesAt, int AudienceSize, string? NotSentReason)>(new CommandDefinition("""
            SELECT id, status, opened_at, closes_at, audience_size, not_sent_reason FROM survey_runs WHERE survey_id = @SurveyId ORDER BY opened_at DESC
            """, new { SurveyId = surveyId }, cancellationToken: ct));
        return [.. rows.Select(r => new RunSummary(r.Id, r.Status, Utc(r.OpenedAt), Utc(r.ClosesAt), r.AudienceSize, r.NotSentReason))];
    }

    private static DateTimeOffset Utc(DateTime value) => new(DateTime.SpecifyKind(value, DateTimeKind.Utc));
}
