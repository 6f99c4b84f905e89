using Dapper;
using Npgsql;

namespace AlignmentBot.Scheduler.Pulses;

/// <summary>One question's aggregate for a group: only ever built from at least the score threshold of respondents.</summary>
public sealed record QuestionResult(long QuestionId, string Kind, string Prompt, int Answers, decimal? Mean, IReadOnlyDictionary<string, int> Distribution,
    decimal? FavourablePercent, decimal? Enps, decimal? PreviousMean, IReadOnlyList<string> Comments);

/// <summary>A group's results, or the reason there are none to show.</summary>
public sealed record GroupResult(string Group, IReadOnlyList<long> TeamIds, decimal? Participation, IReadOnlyList<QuestionResult> Questions, string? HiddenBecause);

/// <summary>
/// Results of a closed run for the groups one reader may see (each of their teams, and all of them together).
/// Privacy is enforced where the data is: the aggregate query returns nothing for fewer respondents than the
/// threshold, comments need the comment threshold, and a combined group is withheld when subtracting the teams
/// shown from it would reveal a smaller group (next-smallest-group protection) — for scores, for comments and for
/// the previous run's means the trend is computed from.
/// </summary>
public sealed class PulseResults(NpgsqlDataSource dataSource)
{
    private sealed record RunRow(long SurveyId, string Status, int ScoreThreshold, int CommentThreshold);

    private const string SelectRun = """
        SELECT r.survey_id, r.status, s.score_threshold, s.comment_threshold
        FROM survey_runs r JOIN surveys s ON s.id = r.survey_id WHERE r.id = @RunId
        """;

    private const string RespondentsPerTeam = """
        SELECT team_id, count(DISTINCT respondent_key)::int AS respondents FROM responses
        WHERE run_id = @RunId AND team_id = ANY(@Teams) GROUP BY team_id
        """;

    // The threshold lives in the query: below it, no row comes back at all.
    private const string Aggregates = """
        WITH r AS (SELECT * FROM responses WHERE run_id = @RunId AND team_id = ANY(@Teams)),
             n AS (SELECT count(DISTINCT respondent_key) AS respondents FROM r)
        SELECT q.id AS question_id, q.kind, q.prompt,
               count(r.respondent_key)::int AS answers,
               round(avg(r.value_number), 2) AS mean,
               round(100.0 * count(*) FILTER (WHERE q.kind = 'likert5' AND r.value_number >= 4) / nullif(count(r.value_number), 0), 1) AS favourable_percent,
               round(100.0 * (count(*) FILTER (WHERE r.value_number >= 9) - count(*) FILTER (WHERE r.value_number <= 6)) / nullif(count(r.value_number), 0), 1) AS enps
        FROM survey_questions q
        JOIN r ON r.question_id = q.id
        CROSS JOIN n
        WHERE n.respondents >= @Threshold
        GROUP BY q.id, q.kind, q.prompt, q.position
        ORDER BY q.position
        """;

    private const string Distribution = """
        WITH r AS (SELECT * FROM responses WHERE run_id = @RunId AND team_id = ANY(@Teams))
        SELECT r.question_id, coalesce(r.value_number::text, r.value_text) AS value, count(*)::int AS answers
        FROM r JOIN survey_questions q ON q.id = r.question_id
        WHERE q.kind <> 'text' AND (SELECT count(DISTINCT respondent_key) FROM r) >= @Threshold
        GROUP BY r.question_id, 2
        """;

    // Comments only with enough commenters, in alphabetical order (never the order they were written).
    private const string Comments = """
        WITH c AS (SELECT question_id, value_text FROM responses
                   WHERE run_id = @RunId AND team_id = ANY(@Teams) AND value_text IS NOT NULL
                     AND question_id IN (SELECT id FROM survey_questions WHERE kind = 'text'))
        SELECT question_id, value_text FROM c
        WHERE (SELECT count(*) FROM c c2 WHERE c2.question_id = c.question_id) >= @CommentThreshold
        ORDER BY question_id, value_text
        """;

    private const string CommentersPerTeam = """
        SELECT team_id, question_id, count(*)::int AS commenters FROM responses
        WHERE run_id = @RunId AND team_id = ANY(@Teams) AND value_text IS NOT NULL
          AND question_id IN (SELECT id FROM survey_questions WHERE kind = 'text')
        GROUP BY team_id, question_id
        """;

    private const string PreviousRespondentsPerTeam = """
        WITH prev AS (
            SELECT id FROM survey_runs WHERE survey_id = @SurveyId AND status = 'closed' AND opened_at < (SELECT opened_at FROM survey_runs WHERE id = @RunId)
            ORDER BY opened_at DESC LIMIT 1
        )
        SELECT team_id, count(DISTINCT respondent_key)::int AS respondents FROM responses
        WHERE run_id = (SELECT id FROM prev) AND team_id = ANY(@Teams) GROUP BY team_id
        """;

    private const string Invited = """
        SELECT count(*)::int FROM invitations WHERE run_id = @RunId AND team_id = ANY(@Teams)
        """;

    private const string PreviousMeans = """
        WITH prev AS (
            SELECT id FROM survey_runs WHERE survey_id = @SurveyId AND status = 'closed' AND opened_at < (SELECT opened_at FROM survey_runs WHERE id = @RunId)
            ORDER BY opened_at DESC LIMIT 1
        ), r AS (SELECT * FROM responses WHERE run_id = (SELECT id FROM prev) AND team_id = ANY(@Teams))
        SELECT question_id, round(avg(value_number), 2) AS mean FROM r
        WHERE (SELECT count(DISTINCT respondent_key) FROM r) >= @Threshold AND value_number IS NOT NULL
        GROUP BY question_id
        """;

    /// <summary>Results for each team and, when there are several, for all of them together; null when the run does not exist.</summary>
    public async Task<IReadOnlyList<GroupResult>?> ForTeamsAsync(long runId, IReadOnlyList<(long TeamId, string Name)> teams, CancellationToken ct)
    {
        await using var connection = await dataSource.OpenConnectionAsync(ct);
        var run = await connection.QuerySingleOrDefaultAsync<RunRow>(new CommandDefinition(SelectRun, new { RunId = runId }, cancellationToken: ct));
        if (run is null)
        {
            return null;
        }

        var groups = teams.Select(t => (Name: t.Name, Teams: (IReadOnlyList<long>)[t.TeamId])).ToList();
        if (teams.Count > 1)
        {
            groups.Add(("All your teams", [.. teams.Select(t => t.TeamId)]));
        }

        if (run.Status != "closed")
        {
            return [.. groups.Select(g => new GroupResult(g.Name, g.Teams, null, [], "Results appear when the pulse closes."))];
        }

        var respondents = (await connection.QueryAsync<(long TeamId, int Respondents)>(new CommandDefinition(RespondentsPerTeam,
            new { RunId = runId, Teams = teams.Select(t => t.TeamId).ToArray() }, cancellationToken: ct))).ToDictionary(r => r.TeamId, r => r.Respondents);
        var hiddenTeams = teams.Where(t => respondents.GetValueOrDefault(t.TeamId) < run.ScoreThreshold).ToList();
        var hiddenTotal = hiddenTeams.Sum(t => respondents.GetValueOrDefault(t.TeamId));

        var teamIds = teams.Select(t => t.TeamId).ToArray();
        var commenters = (await connection.QueryAsync<(long TeamId, long QuestionId, int Commenters)>(new CommandDefinition(CommentersPerTeam,
            new { RunId = runId, Teams = teamIds }, cancellationToken: ct))).AsList();
        var previousRespondents = (await connection.QueryAsync<(long TeamId, int Respondents)>(new CommandDefinition(PreviousRespondentsPerTeam,
            new { RunId = runId, Teams = teamIds, run.SurveyId }, cancellationToken: ct))).ToDictionary(r => r.TeamId, r => r.Respondents);
        var hiddenNow = hiddenTeams.Select(t => t.TeamId).ToHashSet();

        // Next-smallest-group for comments and for the previous run: the combined group's comments (or previous means)
        // minus those shown for each team would be exactly those of the teams not shown, so when those are fewer than
        // the threshold, the combined group does not show them either.
        var hiddenCommenters = commenters.Where(c => hiddenNow.Contains(c.TeamId) || c.Commenters < run.CommentThreshold)
            .GroupBy(c => c.QuestionId).ToDictionary(g => g.Key, g => g.Sum(c => c.Commenters));
        var combinedCommentsWithheld = hiddenCommenters.Where(h => h.Value > 0 && h.Value < run.CommentThreshold).Select(h => h.Key).ToHashSet();
        var hiddenPrevious = previousRespondents.Where(p => hiddenNow.Contains(p.Key) || p.Value < run.ScoreThreshold).Sum(p => p.Value);
        var combinedPreviousWithheld = hiddenPrevious > 0 && hiddenPrevious < run.ScoreThreshold;

        var results = new List<GroupResult>();
        foreach (var (name, groupTeams) in groups)
        {
            var combined = groupTeams.Count > 1;
            var count = groupTeams.Sum(t => respondents.GetValueOrDefault(t));
            string? hidden = count < run.ScoreThreshold
                ? $"Fewer than {run.ScoreThreshold} people answered, so nothing is shown: results for fewer could identify them."
                : combined && hiddenTotal > 0 && hiddenTotal < run.ScoreThreshold
                    ? $"Not shown: with the teams shown separately, it would reveal the answers of a team where fewer than {run.ScoreThreshold} people answered."
                    : null;
            results.Add(hidden is null
                ? await GroupAsync(connection, runId, run, name, groupTeams, count,
                    combined ? combinedCommentsWithheld : [], withholdPrevious: combined && combinedPreviousWithheld, ct)
                : new GroupResult(name, groupTeams, null, [], hidden));
        }

        return results;
    }

    private static async Task<GroupResult> GroupAsync(NpgsqlConnection connection, long runId, RunRow run, string name, IReadOnlyList<long> teams, int respondents,
        HashSet<long> commentsWithheld, bool withholdPrevious, CancellationToken ct)
    {
        var args = new { RunId = runId, Teams = teams.ToArray(), Threshold = run.ScoreThreshold, run.CommentThreshold, run.SurveyId };
        var rows = (await connection.QueryAsync<(long QuestionId, string Kind, string Prompt, int Answers, decimal? Mean, decimal? FavourablePercent, decimal? Enps)>(
            new CommandDefinition(Aggregates, args, cancellationToken: ct))).AsList();
        var distribution = (await connection.QueryAsync<(long QuestionId, string Value, int Answers)>(new CommandDefinition(Distribution, args, cancellationToken: ct)))
            .ToLookup(d => d.QuestionId);
        var comments = (await connection.QueryAsync<(long QuestionId, string Text)>(new CommandDefinition(Comments, args, cancellationToken: ct))).ToLookup(c => c.QuestionId, c => c.Text);
        var previous = withholdPrevious
            ? []
            : (await connection.QueryAsync<(long QuestionId, decimal Mean)>(new CommandDefinition(PreviousMeans, args, cancellationToken: ct))).ToDictionary(p => p.QuestionId, p => p.Mean);
        var invited = await connection.ExecuteScalarAsync<int>(new CommandDefinition(Invited, args, cancellationToken: ct));

        return new GroupResult(name, teams, invited == 0 ? null : Math.Round(100m * respondents / invited, 1),
            [.. rows.Select(r => new QuestionResult(r.QuestionId, r.Kind, r.Prompt, r.Answers, r.Kind == "text" ? null : r.Mean,
                distribution[r.QuestionId].ToDictionary(d => d.Value, d => d.Answers),
                r.Kind == "likert5" ? r.FavourablePercent : null, r.Kind == "enps" ? r.Enps : null,
                previous.TryGetValue(r.QuestionId, out var p) ? p : null,
                commentsWithheld.Contains(r.QuestionId) ? [] : [.. comments[r.QuestionId]]))],
            null);
    }
}
