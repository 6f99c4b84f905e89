using Dapper;
using Npgsql;

namespace AlignmentBot.Bot.Pulses;

/// <summary>
/// Flags invitations as answered in batches, every few minutes, instead of with each submission: a submission's
/// own transaction writes only the answers, so nothing in the database (not even transaction ids) ties a response
/// to the invitation it came from. Participation and reminders do not wait for it: they ask by respondent key.
/// </summary>
public sealed class AnsweredMarker(NpgsqlDataSource dataSource, RespondentKeys keys, TimeProvider time, ILogger<AnsweredMarker> logger) : BackgroundService
{
    public static readonly TimeSpan Interval = TimeSpan.FromMinutes(10);

    // Runs still open, or closed within a day (so the last answers are flagged too).
    private const string Unflagged = """
        SELECT i.run_id, i.person_id FROM invitations i JOIN survey_runs r ON r.id = i.run_id
        WHERE NOT i.answered AND (r.status = 'open' OR r.closed_at > @Since)
        ORDER BY i.run_id, i.person_id
        """;

    private const string Flag = """
        UPDATE invitations i SET answered = true
        FROM unnest(@RunIds, @PersonIds, @Keys) AS k(run_id, person_id, key)
        WHERE i.run_id = k.run_id AND i.person_id = k.person_id
          AND EXISTS (SELECT 1 FROM responses r WHERE r.run_id = k.run_id AND r.respondent_key = k.key)
        """;

    /// <summary>Flags every invitation whose person has answered; one statement, in person order. Returns how many.</summary>
    public async Task<int> MarkAsync(CancellationToken ct)
    {
        await using var connection = await dataSource.OpenConnectionAsync(ct);
        var open = (await connection.QueryAsync<(long RunId, long PersonId)>(new CommandDefinition(Unflagged,
            new { Since = time.GetUtcNow() - TimeSpan.FromDays(1) }, cancellationToken: ct))).AsList();
        if (open.Count == 0)
        {
            return 0;
        }

        return await connection.ExecuteAsync(new CommandDefinition(Flag, new
        {
            RunIds = open.Select(o => o.RunId).ToArray(),
            PersonIds = open.Select(o => o.PersonId).ToArray(),
            Keys = open.Select(o => keys.For(o.RunId, o.PersonId)).ToArray(),
        }, cancellationToken: ct));
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await Task.Delay(Interval, time, stoppingToken);
                await MarkAsync(stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (NpgsqlException ex)
            {
                logger.LogWarning(ex, "Flagging answered invitations failed; trying again in {Interval}", Interval);
            }
        }
    }
}
