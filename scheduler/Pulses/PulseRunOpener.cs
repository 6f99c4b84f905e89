using System.Text.Json;
using AlignmentBot.Scheduler.Calendar;
using AlignmentBot.Scheduler.Delivery;
using Dapper;
using Npgsql;

namespace AlignmentBot.Scheduler.Pulses;

/// <summary>What opening a run did: the run, how many were invited, or why nothing was sent.</summary>
public sealed record RunOpening(long RunId, int Invited, DateTimeOffset ClosesAt, string? NotSentReason);

/// <summary>
/// Opens a pulse run: one invitation per active member of the audience (once, however many of its teams they
/// are in) and one delivery each, due at the survey's local time on the person's next working day in their own
/// time zone (the tenant's when theirs is unknown). A run whose audience is smaller than the score threshold is
/// not sent at all — its results could never be shown without identifying people — and says so.
/// Opening the same survey at the same instant twice (a job fired twice) opens one run and sends once.
/// </summary>
public sealed class PulseRunOpener(NpgsqlDataSource dataSource, Outbox outbox)
{
    public const string DeliveryKind = "pulse";

    private sealed record SurveyRow(long TenantId, string TenantZone, TimeOnly LocalTime, TimeSpan AnswerWindow, int ScoreThreshold, bool Enabled);

    private sealed record Member(long PersonId, long TeamId, string? TimeZone);

    private const string SelectSurvey = """
        SELECT s.tenant_id, t.time_zone AS tenant_zone, s.local_time, s.answer_window, s.score_threshold, s.enabled
        FROM surveys s JOIN tenants t ON t.id = s.tenant_id
        WHERE s.id = @SurveyId
        """;

    // Each active person once, counted for the first of their teams in the audience.
    private const string SelectAudience = """
        SELECT DISTINCT ON (p.id) p.id AS person_id, tm.team_id, p.time_zone
        FROM survey_audiences sa
        JOIN team_members tm ON tm.team_id = sa.team_id
        JOIN people p ON p.id = tm.person_id
        WHERE sa.survey_id = @SurveyId AND p.active AND NOT p.opted_out_of_pulses
        ORDER BY p.id, tm.team_id
        """;

    private const string InsertRun = """
        INSERT INTO survey_runs (survey_id, status, opened_at, closes_at, audience_size, not_sent_reason)
        VALUES (@SurveyId, @Status, @OpenedAt, @ClosesAt, @AudienceSize, @NotSentReason)
        ON CONFLICT (survey_id, opened_at) DO NOTHING
        RETURNING id
        """;

    private const string InsertInvitations = """
        INSERT INTO invitations (run_id, person_id, team_id, invited_at)
        SELECT @RunId, i.person_id, i.team_id, i.invited_at
        FROM unnest(@PersonIds, @TeamIds, @InvitedAts) AS i(person_id, team_id, invited_at)
        ON CONFLICT (run_id, person_id) DO NOTHING
        """;

    public const string ReminderKind = "pulse-reminder";

    private sealed record InvitationRow(long PersonId, DateTime InvitedAt, DateTime OpenedAt, DateTime ClosesAt, string? TimeZone, string TenantZone, TimeOnly LocalTime, short MaxReminders);

    private const string SelectInvitations = """
        SELECT i.person_id, i.invited_at, r.opened_at, r.closes_at, p.time_zone, t.time_zone AS tenant_zone, s.local_time, s.max_reminders
        FROM invitations i
        JOIN survey_runs r ON r.id = i.run_id
        JOIN surveys s ON s.id = r.survey_id
        JOIN people p ON p.id = i.person_id
        JOIN tenants t ON t.id = p.tenant_id
        WHERE i.run_id = @RunId
        ORDER BY i.person_id
        """;

    /// <summary>
    /// Per invitation: the card, due when the invitation says ("pulse:{run}:{person}"), and the reminders
    /// ("pulse-reminder:{run}:{person}:{k}"), spread over the answer window at the person's local pulse time on
    /// working days, never at or after the close. Whether a reminder still goes (only to people who have not
    /// answered, only while the run is open) is decided when it is sent.
    /// </summary>
    private async Task EnqueueInvitationsAsync(NpgsqlConnection connection, long tenantId, long runId, CancellationToken ct)
    {
        var invitations = (await connection.QueryAsync<InvitationRow>(new CommandDefinition(SelectInvitations, new { RunId = runId }, cancellationToken: ct))).AsList();
        var deliveries = new List<NewDelivery>();
        foreach (var i in invitations)
        {
            var invitedAt = Utc(i.InvitedAt);
            deliveries.Add(new NewDelivery(tenantId, DeliveryKind, JsonSerializer.SerializeToElement(new { runId }), $"pulse:{runId}:{i.PersonId}", invitedAt, PersonId: i.PersonId));
            var (openedAt, closesAt) = (Utc(i.OpenedAt), Utc(i.ClosesAt));
            var zone = WorkingTime.Zone(i.TimeZone, WorkingTime.Zone(i.TenantZone, TimeZoneInfo.Utc));
            var reminders = ReminderTimes(openedAt, closesAt, invitedAt, i.MaxReminders, i.LocalTime, zone);
            for (var step = 1; step <= reminders.Count; step++)
            {
                deliveries.Add(new NewDelivery(tenantId, ReminderKind, JsonSerializer.SerializeToElement(new { runId, step, of = reminders.Count }),
                    $"pulse-reminder:{runId}:{i.PersonId}:{step}", reminders[step - 1], PersonId: i.PersonId));
            }
        }

        await outbox.EnqueueAsync(deliveries, ct);
    }

    /// <summary>
    /// The reminder times: evenly spaced slots over the window, each moved to the next working day's local pulse
    /// time; a slot that lands after the card and before the close is kept, and slots that land on the same
    /// instant (a weekend pushes them all to Monday) are one reminder. So a run opened on a Friday with a
    /// 3-day window (closing Monday at the pulse time) has no reminder: nobody is messaged on a weekend, and
    /// Monday's pulse time is the close itself.
    /// </summary>
    private static List<DateTimeOffset> ReminderTimes(DateTimeOffset openedAt, DateTimeOffset closesAt, DateTimeOffset invitedAt, int max, TimeOnly localTime, TimeZoneInfo zone)
    {
        var times = new List<DateTimeOffset>();
        for (var slot = 1; slot <= max; slot++)
        {
            var due = WorkingTime.NextAt(openedAt + (closesAt - openedAt) * slot / (max + 1), localTime, zone);
            if (due > invitedAt && due < closesAt && (times.Count == 0 || due > times[^1]))
            {
                times.Add(due);
            }
        }

        return times;
    }

    private static DateTimeOffset Utc(DateTime value) => new(DateTime.SpecifyKind(value, DateTimeKind.Utc));

    public async Task<RunOpening> OpenAsync(long surveyId, DateTimeOffset at, CancellationToken ct)
    {
        await using var connection = await dataSource.OpenConnectionAsync(ct);
        var survey = await connection.QuerySingleOrDefaultAsync<SurveyRow>(new CommandDefinition(SelectSurvey, new { SurveyId = surveyId }, cancellationToken: ct))
            ?? throw new KeyNotFoundException($"No survey {surveyId}.");
        if (!survey.Enabled)
        {
            return new RunOpening(0, 0, at + survey.AnswerWindow, "Not opened: the survey is turned off.");
        }

        var members = (await connection.QueryAsync<Member>(new CommandDefinition(SelectAudience, new { SurveyId = surveyId }, cancellationToken: ct))).AsList();
        var closesAt = at + survey.AnswerWindow;
        var notSent = members.Count < survey.ScoreThreshold
            ? $"Not sent: the audience has {members.Count} {(members.Count == 1 ? "person" : "people")}, fewer than the score threshold of {survey.ScoreThreshold}, so its results could never be shown without identifying someone."
            : null;

        await using var transaction = await connection.BeginTransactionAsync(ct);
        var runId = await connection.ExecuteScalarAsync<long?>(new CommandDefinition(InsertRun, new
        {
            SurveyId = surveyId,
            Status = notSent is null ? "open" : "cancelled",
            OpenedAt = at,
            ClosesAt = closesAt,
            AudienceSize = members.Count,
            NotSentReason = notSent,
        }, transaction, cancellationToken: ct));
        if (runId is null)
        {
            // Already opened at this instant (the job ran twice, or died after opening): enqueue again —
            // idempotency keys make that a no-op for whatever was enqueued before.
            var existing = await connection.QuerySingleAsync<(long Id, int AudienceSize, string? NotSentReason)>(new CommandDefinition(
                "SELECT id, audience_size, not_sent_reason FROM survey_runs WHERE survey_id = @SurveyId AND opened_at = @At",
                new { SurveyId = surveyId, At = at }, transaction, cancellationToken: ct));
            await transaction.CommitAsync(ct);
            if (existing.NotSentReason is null)
            {
                await EnqueueInvitationsAsync(connection, survey.TenantId, existing.Id, ct);
            }

            return new RunOpening(existing.Id, existing.NotSentReason is null ? existing.AudienceSize : 0, closesAt, existing.NotSentReason);
        }

        if (notSent is not null)
        {
            await transaction.CommitAsync(ct);
            return new RunOpening(runId.Value, 0, closesAt, notSent);
        }

        var tenantZone = WorkingTime.Zone(survey.TenantZone, TimeZoneInfo.Utc);
        var localTime = survey.LocalTime;
        var due = members.Select(m =>
        {
            var next = WorkingTime.NextAt(at, localTime, WorkingTime.Zone(m.TimeZone, tenantZone));
            return next < closesAt ? next : at; // a short window never makes anyone miss the run
        }).ToArray();
        await connection.ExecuteAsync(new CommandDefinition(InsertInvitations, new
        {
            RunId = runId.Value,
            PersonIds = members.Select(m => m.PersonId).ToArray(),
            TeamIds = members.Select(m => m.TeamId).ToArray(),
            InvitedAts = due,
        }, transaction, cancellationToken: ct));
        // This run asks once about each of its teams' focus areas set before it opened (scheduler/FocusAreas).
        await connection.ExecuteAsync(new CommandDefinition(FocusAreas.FocusFollowups.ClaimRun, new { RunId = runId.Value, SurveyId = surveyId, OpenedAt = at }, transaction, cancellationToken: ct));
        await transaction.CommitAsync(ct);

        await EnqueueInvitationsAsync(connection, survey.TenantId, runId.Value, ct);
        return new RunOpening(runId.Value, members.Count, closesAt, null);
    }
}
