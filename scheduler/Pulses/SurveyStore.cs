using System.Globalization;
using System.Text.Json;
using AlignmentBot.Scheduler.Tenants;
using Dapper;
using Npgsql;

namespace AlignmentBot.Scheduler.Pulses;

/// <summary>Surveys, their questions and audiences: the admin API's reads and writes.</summary>
public sealed class SurveyStore(NpgsqlDataSource dataSource, TimeProvider time)
{
    /// <summary>Why a definition cannot be stored although it is well-formed (unknown tenant or team, fixed questions).</summary>
    public sealed class RefusedException(string field, string problem) : Exception(problem)
    {
        public string Field { get; } = field;
    }

    private sealed record SurveyRow(long Id, string Platform, string Tenant, string Name, string Cadence, short? CadenceDay, TimeOnly LocalTime, string? CronExpression,
        TimeSpan AnswerWindow, bool Anonymous, int ScoreThreshold, int CommentThreshold, short MaxReminders, bool Enabled);

    private sealed record QuestionRow(long SurveyId, short Position, string Kind, string Prompt, string Driver, string? Choices, bool Required);

    private const string SelectSurveys = """
        SELECT s.id, t.platform, t.external_id AS tenant, s.name, s.cadence, s.cadence_day, s.local_time, s.cron_expression, s.answer_window,
               s.anonymous, s.score_threshold, s.comment_threshold, s.max_reminders, s.enabled
        FROM surveys s JOIN tenants t ON t.id = s.tenant_id
        WHERE (@Id IS NULL OR s.id = @Id) AND (@Tenant IS NULL OR (t.platform = @Platform AND t.external_id = @Tenant))
        ORDER BY s.id
        """;

    private const string SelectQuestions = """
        SELECT survey_id, position, kind, prompt, driver, choices::text AS choices, required
        FROM survey_questions WHERE survey_id = ANY(@Ids) ORDER BY survey_id, position
        """;

    private const string SelectAudiences = "SELECT survey_id, team_id FROM survey_audiences WHERE survey_id = ANY(@Ids) ORDER BY team_id";

    /// <summary>Surveys, all or of one tenant (its platform id), or one by id.</summary>
    public async Task<IReadOnlyList<SurveyDefinition>> ListAsync(TenantAddress? tenant, long? id, CancellationToken ct)
    {
        await using var connection = await dataSource.OpenConnectionAsync(ct);
        var surveys = (await connection.QueryAsync<SurveyRow>(new CommandDefinition(SelectSurveys, new { Id = id, tenant?.Platform, Tenant = tenant?.ExternalId }, cancellationToken: ct))).AsList();
        var ids = surveys.Select(s => s.Id).ToArray();
        var questions = (await connection.QueryAsync<QuestionRow>(new CommandDefinition(SelectQuestions, new { Ids = ids }, cancellationToken: ct))).ToLookup(q => q.SurveyId);
        var audiences = (await connection.QueryAsync<(long SurveyId, long TeamId)>(new CommandDefinition(SelectAudiences, new { Ids = ids }, cancellationToken: ct))).ToLookup(a => a.SurveyId, a => a.TeamId);
        return surveys.Select(s => new SurveyDefinition
        {
            Id = s.Id,
            Platform = s.Platform,
            Tenant = s.Tenant,
            Name = s.Name,
            Cadence = s.Cadence,
            Day = s.Cadence switch
            {
                Cadences.Weekly or Cadences.Biweekly when s.CadenceDay is { } d => ((DayOfWeek)d).ToString().ToLowerInvariant(),
                Cadences.Monthly when s.CadenceDay is { } d => d.ToString(CultureInfo.InvariantCulture),
                _ => null,
            },
            LocalTime = s.LocalTime.ToString("HH:mm", CultureInfo.InvariantCulture),
            CronExpression = s.CronExpression,
            AnswerWindowDays = (int)s.AnswerWindow.TotalDays,
            Anonymous = s.Anonymous,
            ScoreThreshold = s.ScoreThreshold,
            CommentThreshold = s.CommentThreshold,
            MaxReminders = s.MaxReminders,
            Enabled = s.Enabled,
            Questions = [.. questions[s.Id].Select(q => new SurveyQuestion(q.Kind, q.Prompt, q.Driver, q.Required,
                q.Choices is null ? null : JsonSerializer.Deserialize<string[]>(q.Choices)))],
            Audience = [.. audiences[s.Id]],
        }).ToList();
    }

    private const string InsertSurvey = """
        INSERT INTO surveys (tenant_id, name, cadence, cadence_day, local_time, cron_expression, answer_window, anonymous,
                             score_threshold, comment_threshold, max_reminders, enabled, is_default, default_for_team_id, created_at, updated_at)
        VALUES (@TenantId, @Name, @Cadence, @CadenceDay, @LocalTime, @CronExpression, make_interval(days => @AnswerWindowDays), @Anonymous,
                @ScoreThreshold, @CommentThreshold, @MaxReminders, @Enabled, @IsDefault, @DefaultForTeam, @Now, @Now)
        RETURNING id
        """;

    private const string UpdateSurvey = """
        UPDATE surveys
        SET name = @Name, cadence = @Cadence, cadence_day = @CadenceDay, local_time = @LocalTime, cron_expression = @CronExpression,
            answer_window = make_interval(days => @AnswerWindowDays), anonymous = @Anonymous, score_threshold = @ScoreThreshold,
            comment_threshold = @CommentThreshold, max_reminders = @MaxReminders, enabled = @Enabled, updated_at = @Now
        WHERE id = @Id AND tenant_id = @TenantId
        """;

    private const string InsertQuestion = """
        INSERT INTO survey_questions (survey_id, position, kind, prompt, driver, choices, required)
        VALUES (@SurveyId, @Position, @Kind, @Prompt, @Driver, @Choices::jsonb, @Required)
        ON CONFLICT (survey_id, position) DO UPDATE
        SET prompt = EXCLUDED.prompt, driver = EXCLUDED.driver, choices = EXCLUDED.choices, required = EXCLUDED.required
        """;

    /// <summary>Creates the survey (id null) or replaces it; questions keep their identity by position. <paramref name="defaultForTeam"/>: a team's default pulse.</summary>
    public async Task<long> SaveAsync(SurveyDefinition survey, long? defaultForTeam, CancellationToken ct)
    {
        await using var connection = await dataSource.OpenConnectionAsync(ct);
        await using var transaction = await connection.BeginTransactionAsync(ct);
        var tenantId = await connection.ExecuteScalarAsync<long?>(new CommandDefinition(
            "SELECT id FROM tenants WHERE platform = @Platform AND external_id = @Tenant", new { survey.Platform, survey.Tenant }, transaction, cancellationToken: ct))
            ?? throw new RefusedException("tenant", $"no {survey.Platform} tenant \"{survey.Tenant}\" is known (the app must be installed there first).");
        var unknownTeams = await connection.QueryAsync<long>(new CommandDefinition(
            "SELECT t FROM unnest(@Teams) AS t WHERE NOT EXISTS (SELECT 1 FROM teams WHERE id = t AND tenant_id = @TenantId)",
            new { Teams = survey.Audience.ToArray(), TenantId = tenantId }, transaction, cancellationToken: ct));
        if (unknownTeams.Any())
        {
            throw new RefusedException("audience", $"no team {string.Join(", ", unknownTeams)} in this tenant.");
        }

        var row = new
        {
            survey.Id,
            TenantId = tenantId,
            survey.Name,
            survey.Cadence,
            CadenceDay = survey.Cadence switch
            {
                Cadences.Weekly or Cadences.Biweekly => (short?)SurveyValidation.ParseWeekday(survey.Day!),
                Cadences.Monthly => short.Parse(survey.Day!, CultureInfo.InvariantCulture),
                _ => null,
            },
            LocalTime = SurveyValidation.ParseLocalTime(survey.LocalTime),
            CronExpression = survey.Cadence == Cadences.Cron ? survey.CronExpression : null,
            survey.AnswerWindowDays,
            survey.Anonymous,
            survey.ScoreThreshold,
            survey.CommentThreshold,
            MaxReminders = (short)survey.MaxReminders,
            survey.Enabled,
            IsDefault = defaultForTeam is not null,
            DefaultForTeam = defaultForTeam,
            Now = time.GetUtcNow(),
        };

        long id;
        if (survey.Id is { } existing)
        {
            await EnsureQuestionsMayChangeAsync(connection, transaction, existing, survey.Questions, ct);
            if (await connection.ExecuteAsync(new CommandDefinition(UpdateSurvey, row, transaction, cancellationToken: ct)) == 0)
            {
                throw new KeyNotFoundException($"No survey {existing} in tenant \"{survey.Tenant}\".");
            }

            id = existing;
        }
        else
        {
            id = await connection.ExecuteScalarAsync<long>(new CommandDefinition(InsertSurvey, row, transaction, cancellationToken: ct));
        }

        for (var i = 0; i < survey.Questions.Count; i++)
        {
            var q = survey.Questions[i];
            await connection.ExecuteAsync(new CommandDefinition(InsertQuestion, new
            {
                SurveyId = id,
                Position = (short)(i + 1),
                q.Kind,
                q.Prompt,
                q.Driver,
                Choices = q.Choices is null ? null : JsonSerializer.Serialize(q.Choices),
                q.Required,
            }, transaction, cancellationToken: ct));
        }

        await connection.ExecuteAsync(new CommandDefinition("""
            DELETE FROM survey_questions WHERE survey_id = @Id AND position > @Count;
            DELETE FROM survey_audiences WHERE survey_id = @Id AND NOT (team_id = ANY(@Teams));
            INSERT INTO survey_audiences (survey_id, team_id) SELECT @Id, t FROM unnest(@Teams) AS t ON CONFLICT DO NOTHING;
            """, new { Id = id, survey.Questions.Count, Teams = survey.Audience.Distinct().ToArray() }, transaction, cancellationToken: ct));
        await transaction.CommitAsync(ct);
        return id;
    }

    /// <summary>
    /// Once a survey has run, its questions' number and kinds are fixed so that trends compare like with like
    /// (product.md); wording, drivers and choices may still be edited.
    /// </summary>
    private static async Task EnsureQuestionsMayChangeAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, long surveyId, IReadOnlyList<SurveyQuestion> questions, CancellationToken ct)
    {
        var hasRuns = await connection.ExecuteScalarAsync<bool>(new CommandDefinition(
            "SELECT EXISTS (SELECT 1 FROM survey_runs WHERE survey_id = @SurveyId)", new { SurveyId = surveyId }, transaction, cancellationToken: ct));
        if (!hasRuns)
        {
            return;
        }

        var kinds = (await connection.QueryAsync<string>(new CommandDefinition(
            "SELECT kind FROM survey_questions WHERE survey_id = @SurveyId ORDER BY position", new { SurveyId = surveyId }, transaction, cancellationToken: ct))).ToList();
        if (!kinds.SequenceEqual(questions.Select(q => q.Kind)))
        {
            throw new RefusedException("questions", "this survey has run: its questions' number and kinds stay as they are so trends stay comparable; create a new survey instead.");
        }
    }

    /// <summary>The tenant's IANA time zone (its surveys' cadences run in it).</summary>
    public async Task<string> TenantTimeZoneAsync(TenantAddress tenant, CancellationToken ct)
    {
        await using var connection = await dataSource.OpenConnectionAsync(ct);
        return await connection.ExecuteScalarAsync<string>(new CommandDefinition("SELECT time_zone FROM tenants WHERE platform = @Platform AND external_id = @Tenant", tenant.Args, cancellationToken: ct)) ?? "UTC";
    }

    /// <summary>Turns the default pulse for newly installed teams on or off for a tenant; false when the tenant is unknown.</summary>
    public async Task<bool> SetDefaultPulseAsync(TenantAddress tenant, bool enabled, CancellationToken ct)
    {
        await using var connection = await dataSource.OpenConnectionAsync(ct);
        return await connection.ExecuteAsync(new CommandDefinition(
            "UPDATE tenants SET settings = settings || jsonb_build_object('defaultPulse', @Enabled) WHERE platform = @Platform AND external_id = @Tenant",
            new { tenant.Platform, Tenant = tenant.ExternalId, Enabled = enabled }, cancellationToken: ct)) > 0;
    }
}
