using AlignmentBot.Bot.Directory;
using AlignmentBot.Scheduler.Pulses;
using Dapper;
using Npgsql;

namespace AlignmentBot.Bot.Pulses;

/// <summary>
/// Every newly installed team gets the default "Alignment pulse" (biweekly, Monday 10:00 local, the item bank of
/// docs/product.md) unless the tenant's admin turned it off (<c>tenants.settings.defaultPulse = false</c>).
/// Once per team, however often Teams announces the install.
/// </summary>
public sealed class DefaultPulse(NpgsqlDataSource dataSource, SurveyStore surveys, PulseSchedule schedule, ILogger<DefaultPulse> logger) : ITeamInstalledHandler
{
    public static IReadOnlyList<SurveyQuestion> Questions { get; } =
    [
        new(QuestionKinds.Likert5, "I know what is expected of me this quarter.", "clarity"),
        new(QuestionKinds.Likert5, "I understand how my work contributes to our team's objectives.", "line of sight"),
        new(QuestionKinds.Likert5, "Our team's priorities are clear and stable enough to plan around.", "focus"),
        new(QuestionKinds.Likert5, "I feel safe raising concerns or disagreeing with a plan.", "safety"),
        new(QuestionKinds.Text, "What is unclear or blocking you right now?", "blockers", Required: false),
    ];

    private const string Tenant = """
        SELECT platform, external_id, time_zone, coalesce((settings->>'defaultPulse')::boolean, true) AS wanted,
               EXISTS (SELECT 1 FROM surveys WHERE default_for_team_id = @TeamId) AS exists
        FROM tenants WHERE id = @TenantId
        """;

    public async Task TeamInstalledAsync(long tenantId, long teamId, CancellationToken ct)
    {
        await using var connection = await dataSource.OpenConnectionAsync(ct);
        var tenant = await connection.QuerySingleAsync<(string Platform, string ExternalId, string TimeZone, bool Wanted, bool Exists)>(
            new CommandDefinition(Tenant, new { TenantId = tenantId, TeamId = teamId }, cancellationToken: ct));
        if (!tenant.Wanted || tenant.Exists)
        {
            return;
        }

        long id;
        try
        {
            id = await surveys.SaveAsync(new SurveyDefinition
            {
                Platform = tenant.Platform,
                Tenant = tenant.ExternalId,
                Name = "Alignment pulse",
                Questions = Questions,
                Audience = [teamId],
                Cadence = Cadences.Biweekly,
                Day = "monday",
                LocalTime = "10:00",
            }, defaultForTeam: teamId, ct);
        }
        catch (PostgresException ex) when (ex.SqlState == PostgresErrorCodes.UniqueViolation)
        {
            return; // the other install event made it a moment ago
        }

        await schedule.ApplyAsync((await surveys.ListAsync(null, id, ct))[0], tenant.TimeZone, ct);
        logger.LogInformation("Team {TeamId} gets the default Alignment pulse (survey {SurveyId})", teamId, id);
    }
}
