using System.Text.Json;
using AlignmentBot.Scheduler.Pulses;
using Dapper;
using Npgsql;

namespace AlignmentBot.Scheduler.FocusAreas;

/// <summary>
/// Setting and closing a team's focus. Only drivers whose result is shown can be picked: they come from the very
/// per-question results the <c>results</c> command and the dashboard use (<see cref="PulseResults"/>: thresholds,
/// results only after close), never a copy of that SQL. Only a manager of the team (the <c>team_managers</c> view, the
/// one "manager of" rule) can write, checked in the statement that writes; every write is in the audit trail.
/// </summary>
public sealed class FocusAreaStore(NpgsqlDataSource dataSource, PulseResults results, TimeProvider time)
{
    public const int MaxPlanLength = 500;

    /// <summary>What a write did: saved, refused (not a manager of the team), or a problem with the input, naming the field.</summary>
    public sealed record Outcome(bool Saved, bool Refused, string? Field, string? Problem);

    // The team's latest closed run, as the digest's "latest" (and the dashboard's) picks it.
    private const string SelectLatestRun = """
        SELECT t.name, r.id AS run_id, s.name AS survey
        FROM teams t
        LEFT JOIN LATERAL (SELECT r.id, r.survey_id FROM survey_audiences sa JOIN survey_runs r ON r.survey_id = sa.survey_id
                           WHERE sa.team_id = t.id AND r.status = 'closed' AND r.closed_at <= @Now
                           ORDER BY r.closed_at DESC, r.id DESC LIMIT 1) r ON true
        LEFT JOIN surveys s ON s.id = r.survey_id
        WHERE t.id = @TeamId AND t.tenant_id = @TenantId
        """;

    private const string SelectDrivers = "SELECT id, driver FROM survey_questions WHERE id = ANY(@Ids) AND kind = 'likert5' AND driver <> ''";

    /// <summary>The drivers of the team's latest closed run whose result is shown, with that result.</summary>
    public async Task<DriverChoices> DriversAsync(long tenantId, long teamId, CancellationToken ct)
    {
        await using var connection = await dataSource.OpenConnectionAsync(ct);
        var latest = await connection.QuerySingleOrDefaultAsync<(string Name, long? RunId, string? Survey)?>(new CommandDefinition(SelectLatestRun,
            new { TenantId = tenantId, TeamId = teamId, Now = time.GetUtcNow() }, cancellationToken: ct));
        if (latest is not { RunId: { } runId } found)
        {
            return new DriverChoices(null, null, [], "No pulse has closed for this team yet: a focus is picked from a closed pulse's results.");
        }

        var groups = await results.ForTeamsAsync(runId, [(teamId, found.Name)], ct);
        if (groups is not [var group] || group.HiddenBecause is { } hidden)
        {
            return new DriverChoices(runId, found.Survey, [], groups is [var g] ? g.HiddenBecause : "No results for this run.");
        }

        var drivers = (await connection.QueryAsync<(long Id, string Driver)>(new CommandDefinition(SelectDrivers,
            new { Ids = group.Questions.Select(q => q.QuestionId).ToArray() }, cancellationToken: ct))).ToDictionary(d => d.Id, d => d.Driver);
        List<DriverResult> shown = [.. group.Questions.Where(q => q.Mean is not null && drivers.ContainsKey(q.QuestionId))
            .GroupBy(q => drivers[q.QuestionId], StringComparer.Ordinal)
            .Select(g => new DriverResult(g.Key, Math.Round(g.Average(q => q.Mean!.Value), 2),
                g.All(q => q.FavourablePercent is not null) ? Math.Round(g.Average(q => q.FavourablePercent!.Value), 1) : null, g.Max(q => q.Answers)))
            .OrderBy(d => d.Mean).ThenBy(d => d.Driver, StringComparer.Ordinal)];
        return new DriverChoices(runId, found.Survey, shown, shown.Count == 0 ? "The latest pulse's questions name no drivers." : null);
    }

    /// <summary>The team's active focus (with its follow-up result once that run closed), as the digest shows it.</summary>
    public async Task<FocusLine?> ActiveAsync(long teamId, CancellationToken ct)
    {
        await using var connection = await dataSource.OpenConnectionAsync(ct);
        return await FocusDigest.QueryAsync(connection, [teamId], time.GetUtcNow(), ct) is [var first, ..] ? first : null;
    }

    // The manager check is part of each write: no row changes, no audit entry, unless the person manages the team.
    private const string Allowed = """
        SELECT t.id AS team_id, p.id AS person_id, p.display_name
        FROM teams t JOIN people p ON p.id = @PersonId AND p.tenant_id = t.tenant_id
        WHERE t.id = @TeamId AND t.tenant_id = @TenantId
          AND EXISTS (SELECT 1 FROM team_managers m WHERE m.team_id = t.id AND m.person_id = p.id)
        """;

    // Two statements in one transaction (not two CTEs): the one-active-focus index must see the old row retired first.
    private const string Retire = $"""
        UPDATE focus_areas SET status = 'done', done_at = @Now
        WHERE team_id = (SELECT team_id FROM ({Allowed}) allowed) AND status = 'active'
        """;

    private const string Insert = $"""
        WITH allowed AS ({Allowed}), inserted AS (
            INSERT INTO focus_areas (team_id, driver, source_run_id, source_mean, source_favourable, source_respondents, plan, set_by, set_at)
            SELECT team_id, @Driver, @RunId, @Mean, @Favourable, @Respondents, @Plan, person_id, @Now FROM allowed
            RETURNING id
        )
        INSERT INTO audit_log (tenant_id, actor, action, subject, details, created_at)
        SELECT @TenantId, 'manager ' || a.display_name, 'focus.set', 'team/' || a.team_id, @Details::jsonb, @Now
        FROM allowed a, inserted i
        RETURNING (SELECT id FROM inserted)
        """;

    /// <summary>Sets the team's focus (the previous one becomes done), when the person manages the team and the driver's result is shown.</summary>
    public async Task<Outcome> SetAsync(long tenantId, long teamId, long personId, string? driver, string? plan, CancellationToken ct)
    {
        plan = plan?.Trim() ?? "";
        var choices = await DriversAsync(tenantId, teamId, ct);
        if (choices.Drivers.FirstOrDefault(d => d.Driver == driver) is not { } picked)
        {
            return new Outcome(false, false, "driver", string.IsNullOrEmpty(driver)
                ? "Pick a driver."
                : $"“{driver}” cannot be picked: only a driver whose result the latest closed pulse shows (at or above its threshold) can be.");
        }

        if (plan.Length == 0 || plan.Length > MaxPlanLength)
        {
            return new Outcome(false, false, "plan", plan.Length == 0
                ? "Write what the team will do."
                : $"Keep the plan to {MaxPlanLength} characters; it has {plan.Length}.");
        }

        await using var connection = await dataSource.OpenConnectionAsync(ct);
        await using var transaction = await connection.BeginTransactionAsync(ct);
        var args = new
        {
            TenantId = tenantId, TeamId = teamId, PersonId = personId, picked.Driver, choices.RunId, picked.Mean, Favourable = picked.FavourablePercent,
            Respondents = picked.Answers, Plan = plan, Now = time.GetUtcNow(),
            Details = JsonSerializer.Serialize(new { picked.Driver, runId = choices.RunId, planLength = plan.Length }, JsonSerializerOptions.Web),
        };
        await connection.ExecuteAsync(new CommandDefinition(Retire, args, transaction, cancellationToken: ct));
        var id = await connection.ExecuteScalarAsync<long?>(new CommandDefinition(Insert, args, transaction, cancellationToken: ct));
        await transaction.CommitAsync(ct);
        return id is null ? new Outcome(false, true, null, "Only a manager of this team can set its focus.") : new Outcome(true, false, null, null);
    }

    private const string Done = """
        WITH done AS (
            UPDATE focus_areas f SET status = 'done', done_at = @Now
            FROM teams t
            WHERE f.team_id = @TeamId AND f.status = 'active' AND t.id = f.team_id AND t.tenant_id = @TenantId
              AND EXISTS (SELECT 1 FROM team_managers m WHERE m.team_id = t.id AND m.person_id = @PersonId)
            RETURNING f.id, f.team_id
        )
        INSERT INTO audit_log (tenant_id, actor, action, subject, details, created_at)
        SELECT @TenantId, 'manager ' || (SELECT display_name FROM people WHERE id = @PersonId), 'focus.done', 'team/' || d.team_id,
               jsonb_build_object('focusId', d.id), @Now
        FROM done d
        RETURNING 1
        """;

    /// <summary>Marks the team's active focus done; refused unless the person manages the team.</summary>
    public async Task<Outcome> MarkDoneAsync(long tenantId, long teamId, long personId, CancellationToken ct)
    {
        await using var connection = await dataSource.OpenConnectionAsync(ct);
        var done = await connection.ExecuteScalarAsync<int?>(new CommandDefinition(Done,
            new { TenantId = tenantId, TeamId = teamId, PersonId = personId, Now = time.GetUtcNow() }, cancellationToken: ct));
        return done is null ? new Outcome(false, true, null, "Only a manager of this team can close its focus.") : new Outcome(true, false, null, null);
    }
}
