using Dapper;
using Npgsql;

namespace AlignmentBot.Bot.Pulses;

public sealed record PulseQuestion(long Id, string Kind, string Prompt, bool Required, string[]? Choices);

/// <summary>A run as one person sees it: theirs only if they were invited.</summary>
/// <remarks><c>CommentThreshold</c>: the survey's own, how many people must comment before any comment is shown.</remarks>
public sealed record PersonRun(long RunId, string SurveyName, string Status, DateTimeOffset ClosesAt, long? TeamId, string TimeZone, IReadOnlyList<PulseQuestion> Questions,
    int CommentThreshold)
{
    /// <summary>The team's focus the card shows above the questions, and whether this run asks about it (bot/FocusAreas).</summary>
    public FocusAreas.FocusOnCard? Focus { get; init; }

    public bool IsOpen(DateTimeOffset now) => Status == "open" && now < ClosesAt;
}

/// <summary>
/// A person's side of a pulse: their run (only with an invitation), their own answers (found by their respondent
/// key, which only the app can compute), and recording them. A submission writes only "what"; "who answered" is
/// flagged later, in batches (<see cref="AnsweredMarker"/>), so not even a transaction id ties an answer to a person.
/// Responses carry no person id, no timestamp and no sequence.
/// </summary>
public sealed class PulseStore(NpgsqlDataSource dataSource)
{
    private sealed record RunRow(long RunId, string SurveyName, string Status, DateTime ClosesAt, long? TeamId, string TimeZone, long SurveyId, int CommentThreshold);

    private sealed record QuestionRow(long Id, string Kind, string Prompt, bool Required, string? Choices);

    // The run and its questions in one round trip (an answer's path: every round trip counts at 10:00): the questions
    // are found by the same lookup as the run.
    private const string SelectRunAndQuestions = """
        SELECT r.id AS run_id, s.name AS survey_name, r.status, r.closes_at, i.team_id,
               coalesce(p.time_zone, t.time_zone) AS time_zone, s.id AS survey_id, s.comment_threshold
        FROM invitations i
        JOIN survey_runs r ON r.id = i.run_id
        JOIN surveys s ON s.id = r.survey_id
        JOIN people p ON p.id = i.person_id
        JOIN tenants t ON t.id = p.tenant_id
        WHERE i.person_id = @PersonId AND (@RunId IS NULL OR r.id = @RunId) AND (@RunId IS NOT NULL OR r.status = 'open')
        ORDER BY r.opened_at DESC
        LIMIT 1;

        SELECT q.id, q.kind, q.prompt, q.required, q.choices::text AS choices
        FROM survey_questions q
        WHERE q.survey_id = (SELECT r.survey_id
                             FROM invitations i
                             JOIN survey_runs r ON r.id = i.run_id
                             WHERE i.person_id = @PersonId AND (@RunId IS NULL OR r.id = @RunId) AND (@RunId IS NOT NULL OR r.status = 'open')
                             ORDER BY r.opened_at DESC
                             LIMIT 1)
        ORDER BY q.position
        """;

    // The same round trip brings the team's focus for the card (scheduler/FocusAreas).
    private const string SelectRunQuestionsAndFocus = SelectRunAndQuestions + ";\n" + Scheduler.FocusAreas.FocusFollowups.OfPersonRun;

    /// <summary>The run if this person was invited to it; without a run id, their latest open run.</summary>
    public async Task<PersonRun?> RunAsync(long personId, long? runId, CancellationToken ct)
    {
        await using var connection = await dataSource.OpenConnectionAsync(ct);
        await using var batch = await connection.QueryMultipleAsync(new CommandDefinition(SelectRunQuestionsAndFocus, new { PersonId = personId, RunId = runId }, cancellationToken: ct));
        var run = await batch.ReadSingleOrDefaultAsync<RunRow>();
        var questions = await batch.ReadAsync<QuestionRow>();
        var focus = await batch.ReadSingleOrDefaultAsync<FocusAreas.FocusOnCard>();
        if (run is null)
        {
            return null;
        }

        return new PersonRun(run.RunId, run.SurveyName, run.Status, new DateTimeOffset(DateTime.SpecifyKind(run.ClosesAt, DateTimeKind.Utc)), run.TeamId, run.TimeZone,
            [.. questions.Select(q => new PulseQuestion(q.Id, q.Kind, q.Prompt, q.Required, q.Choices is null ? null : System.Text.Json.JsonSerializer.Deserialize<string[]>(q.Choices)))],
            run.CommentThreshold) { Focus = focus };
    }

    private const string SelectAnswers = """
        SELECT question_id, coalesce(value_text, value_number::text) AS value FROM responses WHERE run_id = @RunId AND respondent_key = @Key
        """;

    /// <summary>The author's own answers, by question.</summary>
    public async Task<IReadOnlyDictionary<long, string>> AnswersAsync(long runId, byte[] key, CancellationToken ct)
    {
        await using var connection = await dataSource.OpenConnectionAsync(ct);
        var rows = await connection.QueryAsync<(long QuestionId, string Value)>(new CommandDefinition(SelectAnswers, new { RunId = runId, Key = key }, cancellationToken: ct));
        return rows.ToDictionary(r => r.QuestionId, r => r.Value);
    }

    // @Only: one question answered on its own (a tap); only its row may go, and only when it is not in the answers.
    // The answer counts for the team only when the team's invitees reach the score threshold: a smaller team's
    // results are never shown, and its id on an answer would only narrow down who wrote it.
    private const string ReplaceAnswers = """
        DELETE FROM responses WHERE run_id = @RunId AND respondent_key = @Key AND NOT (question_id = ANY(@QuestionIds))
                                AND (@Only::bigint IS NULL OR question_id = @Only::bigint);
        WITH team AS (
            SELECT CASE WHEN count(*) >= (SELECT s.score_threshold FROM survey_runs r JOIN surveys s ON s.id = r.survey_id WHERE r.id = @RunId)
                        THEN @TeamId END AS team_id
            FROM invitations WHERE run_id = @RunId AND team_id = @TeamId
        )
        INSERT INTO responses (run_id, question_id, respondent_key, team_id, value_number, value_text)
        SELECT @RunId, a.question_id, @Key, team.team_id, a.value_number, a.value_text
        FROM unnest(@QuestionIds, @Numbers, @Texts) AS a(question_id, value_number, value_text), team
        ON CONFLICT (run_id, question_id, respondent_key) DO UPDATE
        SET value_number = EXCLUDED.value_number, value_text = EXCLUDED.value_text, team_id = EXCLUDED.team_id, shuffled = false
        """;

    /// <summary>Replaces the author's answer set (a re-submission overwrites).</summary>
    public Task RecordAsync(PersonRun run, byte[] key, IReadOnlyList<PulseAnswer> answers, CancellationToken ct) => WriteAsync(run, key, answers, null, ct);

    /// <summary>Records (or, with a null answer, removes) the author's answer to one question; their other answers stay as they are.</summary>
    public Task RecordOneAsync(PersonRun run, byte[] key, long questionId, PulseAnswer? answer, CancellationToken ct) =>
        WriteAsync(run, key, answer is null ? [] : [answer], questionId, ct);

    private async Task WriteAsync(PersonRun run, byte[] key, IReadOnlyList<PulseAnswer> answers, long? only, CancellationToken ct)
    {
        await using var connection = await dataSource.OpenConnectionAsync(ct);
        await connection.ExecuteAsync(new CommandDefinition(ReplaceAnswers, new
        {
            run.RunId,
            Key = key,
            run.TeamId,
            Only = only,
            QuestionIds = answers.Select(a => a.QuestionId).ToArray(),
            Numbers = answers.Select(a => a.Number).ToArray(),
            Texts = answers.Select(a => a.Text).ToArray(),
        }, cancellationToken: ct));
    }

    /// <summary>
    /// Whether the batch has flagged this person as having answered (<see cref="AnsweredMarker"/>): what an outbox row
    /// about them may act on, since acting on it tells a database reader nothing the flag has not told already.
    /// </summary>
    public async Task<bool> IsFlaggedAnsweredAsync(long runId, long personId, CancellationToken ct)
    {
        await using var connection = await dataSource.OpenConnectionAsync(ct);
        return await connection.ExecuteScalarAsync<bool>(new CommandDefinition(
            "SELECT EXISTS (SELECT 1 FROM invitations WHERE run_id = @RunId AND person_id = @PersonId AND answered)", new { RunId = runId, PersonId = personId }, cancellationToken: ct));
    }
}

/// <summary>One validated answer: a number (Likert, eNPS) or a text (choice, comment).</summary>
public sealed record PulseAnswer(long QuestionId, decimal? Number, string? Text);
