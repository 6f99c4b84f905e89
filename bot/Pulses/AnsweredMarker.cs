using Dapper;
using Npgsql;

namespace AlignmentBot.Bot.Pulses;

/// <summary>
/// Flags invitations as answered, in batches, so that nothing in the database ties an answer to its author — not
/// even system columns. A submission writes only its answers (and nothing that names a person). This batch then,
/// per run, in one transaction: flags the invitations of everyone who answered since the last batch — only once
/// they are at least the run's score threshold, or when the run has closed — and rewrites the run's answers not yet
/// rewritten, in random order. Afterwards those people's flags and those answers share one transaction id and the
/// answers' physical order says nothing about who came first. At close every answer of the run is rewritten, so the
/// last few people are hidden among all. The flagged people's pending reminders are cancelled in that transaction too.
/// </summary>
public sealed class AnsweredMarker(NpgsqlDataSource dataSource, RespondentKeys keys, TimeProvider time, ILogger<AnsweredMarker> logger) : BackgroundService
{
    public static readonly TimeSpan Interval = TimeSpan.FromMinutes(10);

    private sealed record RunRow(long RunId, string Status, int ScoreThreshold);

    // Runs still open, or closed within a day (so the last answers are flagged too), that have something to do.
    private const string Runs = """
        SELECT r.id AS run_id, r.status, s.score_threshold FROM survey_runs r JOIN surveys s ON s.id = r.survey_id
        WHERE (r.status = 'open' OR r.closed_at > @Since)
          AND (EXISTS (SELECT 1 FROM invitations i WHERE i.run_id = r.id AND NOT i.answered)
               OR EXISTS (SELECT 1 FROM responses x WHERE x.run_id = r.id AND NOT x.shuffled)
               OR EXISTS (SELECT 1 FROM focus_followups f WHERE f.run_id = r.id AND NOT f.shuffled))
        ORDER BY r.id
        """;

    // Taken first, so two instances never flag the same run at once.
    private const string LockRun = "SELECT status FROM survey_runs WHERE id = @RunId FOR UPDATE";

    private const string Unflagged = "SELECT person_id FROM invitations WHERE run_id = @RunId AND NOT answered ORDER BY person_id";

    private const string Answered = """
        SELECT k.person_id FROM unnest(@PersonIds, @Keys) AS k(person_id, key)
        WHERE EXISTS (SELECT 1 FROM responses r WHERE r.run_id = @RunId AND r.respondent_key = k.key)
        """;

    private const string Flag = "UPDATE invitations SET answered = true WHERE run_id = @RunId AND person_id = ANY(@PersonIds)";

    // Their reminders stop in the same transaction: a cancelled reminder names its person, so it is written with the flags.
    private const string CancelReminders = """
        UPDATE deliveries SET status = 'cancelled', last_error = 'answered'
        WHERE kind = @Kind AND status = 'pending' AND person_id = ANY(@PersonIds) AND payload->>'runId' = @RunId::text
        """;

    // One statement: the rows are deleted and inserted again in random order, all under this transaction's id.
    private const string Shuffle = """
        WITH moved AS (
            DELETE FROM responses WHERE run_id = @RunId AND (@All OR NOT shuffled)
            RETURNING run_id, question_id, respondent_key, team_id, value_number, value_text
        )
        INSERT INTO responses (run_id, question_id, respondent_key, team_id, value_number, value_text, shuffled)
        SELECT run_id, question_id, respondent_key, team_id, value_number, value_text, true FROM moved
        ORDER BY random()
        """;

    /// <summary>One batch over every run with something to do. Returns how many invitations it flagged.</summary>
    public async Task<int> MarkAsync(CancellationToken ct)
    {
        await using var connection = await dataSource.OpenConnectionAsync(ct);
        var runs = (await connection.QueryAsync<RunRow>(new CommandDefinition(Runs, new { Since = time.GetUtcNow() - TimeSpan.FromDays(1) }, cancellationToken: ct))).AsList();
        var flagged = 0;
        foreach (var run in runs)
        {
            flagged += await MarkRunAsync(connection, run, ct);
        }

        return flagged;
    }

    private async Task<int> MarkRunAsync(NpgsqlConnection connection, RunRow run, CancellationToken ct)
    {
        await using var transaction = await connection.BeginTransactionAsync(ct);
        var status = await connection.ExecuteScalarAsync<string>(new CommandDefinition(LockRun, new { run.RunId }, transaction, cancellationToken: ct));
        var closed = status != "open";
        var unflagged = (await connection.QueryAsync<long>(new CommandDefinition(Unflagged, new { run.RunId }, transaction, cancellationToken: ct))).AsList();
        var answered = unflagged.Count == 0 ? [] : (await connection.QueryAsync<long>(new CommandDefinition(Answered, new
        {
            run.RunId,
            PersonIds = unflagged.ToArray(),
            Keys = unflagged.Select(p => keys.For(run.RunId, p)).ToArray(),
        }, transaction, cancellationToken: ct))).AsList();

        // Fewer than the threshold would be a small group whose flags and answers share a transaction: wait for more.
        if (!closed && answered.Count < run.ScoreThreshold)
        {
            return 0;
        }

        if (answered.Count > 0)
        {
            await connection.ExecuteAsync(new CommandDefinition(Flag, new { run.RunId, PersonIds = answered.ToArray() }, transaction, cancellationToken: ct));
            await connection.ExecuteAsync(new CommandDefinition(CancelReminders,
                new { run.RunId, PersonIds = answered.ToArray(), Kind = Scheduler.Pulses.PulseRunOpener.ReminderKind }, transaction, cancellationToken: ct));
        }

        await connection.ExecuteAsync(new CommandDefinition(Shuffle, new { run.RunId, All = closed && answered.Count > 0 }, transaction, cancellationToken: ct));
        await connection.ExecuteAsync(new CommandDefinition(Scheduler.FocusAreas.FocusFollowups.Shuffle, new { run.RunId, All = closed && answered.Count > 0 }, transaction, cancellationToken: ct));
        await transaction.CommitAsync(ct);
        return answered.Count;
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
