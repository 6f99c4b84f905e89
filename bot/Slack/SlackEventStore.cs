using Dapper;
using Npgsql;

namespace AlignmentBot.Bot.Slack;

/// <summary>
/// De-duplicates the Events API's deliveries on <c>event_id</c>. The first delivery claims the event; a retry is
/// handled only when no attempt finished and the last claim is older than <see cref="ReclaimAfter"/> (its worker
/// died): retries are neither dropped blindly (losing what crashed) nor handled twice (a slow first attempt).
/// </summary>
public sealed class SlackEventStore(NpgsqlDataSource dataSource, TimeProvider time)
{
    /// <summary>A claim younger than this is still being worked on (Slack's first retry comes at once after a timeout).</summary>
    public static readonly TimeSpan ReclaimAfter = TimeSpan.FromSeconds(30);

    private static readonly TimeSpan KeepFor = TimeSpan.FromDays(1);

    private const string ClaimSql = """
        INSERT INTO slack_events (event_id, team_id, received_at, claimed_at)
        VALUES (@EventId, @TeamId, @Now, @Now)
        ON CONFLICT (event_id) DO UPDATE
        SET claimed_at = EXCLUDED.claimed_at, attempts = slack_events.attempts + 1
        WHERE slack_events.done_at IS NULL AND slack_events.claimed_at < @Stale
        RETURNING attempts
        """;

    private const string DoneSql = "UPDATE slack_events SET done_at = @Now WHERE event_id = @EventId";

    private const string ForgetSql = "DELETE FROM slack_events WHERE received_at < @Before";

    private DateTimeOffset _nextForget = DateTimeOffset.MinValue;

    /// <summary>True when this delivery of the event is the one to handle.</summary>
    public async Task<bool> TryClaimAsync(string eventId, string teamId, CancellationToken ct)
    {
        var now = time.GetUtcNow();
        await using var connection = await dataSource.OpenConnectionAsync(ct);
        if (now >= _nextForget)
        {
            _nextForget = now + TimeSpan.FromHours(1);
            await connection.ExecuteAsync(new CommandDefinition(ForgetSql, new { Before = now - KeepFor }, cancellationToken: ct));
        }

        var attempts = await connection.ExecuteScalarAsync<int?>(new CommandDefinition(ClaimSql,
            new { EventId = eventId, TeamId = teamId, Now = now, Stale = now - ReclaimAfter }, cancellationToken: ct));
        return attempts is not null;
    }

    public async Task DoneAsync(string eventId, CancellationToken ct)
    {
        await using var connection = await dataSource.OpenConnectionAsync(ct);
        await connection.ExecuteAsync(new CommandDefinition(DoneSql, new { EventId = eventId, Now = time.GetUtcNow() }, cancellationToken: ct));
    }
}
