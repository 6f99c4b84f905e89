namespace AlignmentBot.Scheduler.FocusAreas;

/// <summary>
/// The follow-up question's rules in SQL, for the statements of other features that must apply them in their own
/// transaction: which run asks about a focus (the first run opened for the team after the focus was set, claimed
/// when the run opens), and the rewrite that keeps follow-up answers as unlinkable as the run's other answers.
/// </summary>
public static class FocusFollowups
{
    /// <summary>The answers a follow-up takes, as stored; the card shows them as "Yes", "Somewhat", "No".</summary>
    public static readonly IReadOnlyList<string> Answers = ["yes", "somewhat", "no"];

    /// <summary>
    /// In the transaction that opens a sent run (<c>@RunId</c>, <c>@SurveyId</c>, <c>@OpenedAt</c>): each active focus of
    /// the survey's teams, set before the run opened and not yet asked about, is asked about in this run — once.
    /// </summary>
    public const string ClaimRun = """
        UPDATE focus_areas f SET followup_run_id = @RunId
        WHERE f.status = 'active' AND f.followup_run_id IS NULL AND f.set_at < @OpenedAt
          AND f.team_id IN (SELECT team_id FROM survey_audiences WHERE survey_id = @SurveyId)
        """;

    /// <summary>
    /// In the transaction that flags a run's answered invitations (<c>@RunId</c>, <c>@All</c>): the follow-up answers
    /// not yet rewritten (all of them at close) are deleted and inserted again in random order, under that transaction.
    /// </summary>
    public const string Shuffle = """
        WITH moved AS (
            DELETE FROM focus_followups WHERE run_id = @RunId AND (@All OR NOT shuffled)
            RETURNING focus_area_id, run_id, respondent_key, answer
        )
        INSERT INTO focus_followups (focus_area_id, run_id, respondent_key, answer, shuffled)
        SELECT focus_area_id, run_id, respondent_key, answer, true FROM moved
        ORDER BY random()
        """;

    /// <summary>
    /// The focus a person's run shows (<c>@PersonId</c>, <c>@RunId</c> or their latest open run, as the pulse store
    /// finds it): the active focus of their team set before the run opened, and whether this run asks about it.
    /// </summary>
    public const string OfPersonRun = """
        SELECT f.id, f.driver, s.name AS survey, f.source_mean, f.source_favourable, f.plan, (f.followup_run_id IS NOT DISTINCT FROM r.id) AS asks
        FROM (SELECT i.team_id, r.id, r.opened_at
              FROM invitations i
              JOIN survey_runs r ON r.id = i.run_id
              WHERE i.person_id = @PersonId AND (@RunId IS NULL OR r.id = @RunId) AND (@RunId IS NOT NULL OR r.status = 'open')
              ORDER BY r.opened_at DESC
              LIMIT 1) r
        JOIN focus_areas f ON f.team_id = r.team_id AND f.status = 'active' AND f.set_at < r.opened_at
        JOIN survey_runs sr ON sr.id = f.source_run_id
        JOIN surveys s ON s.id = sr.survey_id
        """;
}
