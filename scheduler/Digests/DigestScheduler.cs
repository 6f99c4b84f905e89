using System.Globalization;
using System.Text.Json;
using AlignmentBot.Scheduler.Calendar;
using AlignmentBot.Scheduler.Delivery;
using AlignmentBot.Scheduler.People;
using Dapper;
using Npgsql;
using Quartz;

namespace AlignmentBot.Scheduler.Digests;

/// <summary>
/// Decides which digests are due and enqueues them; it builds no content. A team's digest is due from its local
/// digest time (the team's day and time, else the tenant's; Monday 09:00 by default) in the team's zone, for the rest
/// of that ISO week; the leaders' roll-up likewise at the tenant's time in the tenant's zone. Each message is named
/// by team (or tenant and recipient) and ISO week, so running this twice, or on two instances at once, enqueues it once.
/// The content is rendered when it is sent (see the bot's digest delivery kinds): the chart's URL expires, and a
/// digest held back by a paused tenant should still say how things stand when it is read.
/// </summary>
public sealed class DigestScheduler(NpgsqlDataSource dataSource, Outbox outbox)
{
    public const string TeamKind = "digest";
    public const string RollupKind = "digest-rollup";

    private sealed record TeamRow(long TeamId, long TenantId, string Name, long ChannelConversationId, string TimeZone, short Weekday, TimeOnly LocalTime);

    // Properties, not a positional record: Dapper binds an array column only to a settable member.
    private sealed record TenantRow
    {
        public long TenantId { get; init; }
        public string TimeZone { get; init; } = "UTC";
        public short Weekday { get; init; }
        public TimeOnly LocalTime { get; init; }
        public long? LeadersConversationId { get; init; }
        public long[] Leaders { get; init; } = [];
    }

    private const string SelectTeams = """
        SELECT t.id AS team_id, t.tenant_id, t.name, t.channel_conversation_id, coalesce(t.time_zone, x.time_zone) AS time_zone,
               coalesce(t.digest_weekday, x.digest_weekday) AS weekday, coalesce(t.digest_time, x.digest_time) AS local_time
        FROM teams t JOIN tenants x ON x.id = t.tenant_id
        WHERE t.digest_enabled AND t.channel_conversation_id IS NOT NULL
        """;

    // Leaders by the one rule (PeopleRoles): only active people.
    private static readonly string SelectTenants = $"""
        SELECT x.id AS tenant_id, x.time_zone, x.digest_weekday AS weekday, x.digest_time AS local_time, x.leaders_conversation_id,
               {PeopleRoles.LeadersOf("x.id")} AS leaders
        FROM tenants x
        WHERE EXISTS (SELECT 1 FROM teams t WHERE t.tenant_id = x.id)
        """;

    /// <summary>Enqueues every digest due by <paramref name="at"/> this week and not enqueued yet; returns how many were new.</summary>
    public async Task<int> EnqueueDueAsync(DateTimeOffset at, CancellationToken ct)
    {
        var deliveries = new List<NewDelivery>();
        await using (var connection = await dataSource.OpenConnectionAsync(ct))
        {
            foreach (var team in await connection.QueryAsync<TeamRow>(new CommandDefinition(SelectTeams, cancellationToken: ct)))
            {
                if (Due(at, team.TimeZone, team.Weekday, team.LocalTime) is { } due)
                {
                    var payload = JsonSerializer.SerializeToElement(new { tenantId = team.TenantId, teamId = team.TeamId, week = due.Week, schedule = Describe(team.Weekday, team.LocalTime, team.TimeZone) });
                    deliveries.Add(new NewDelivery(team.TenantId, TeamKind, payload, $"digest:{team.TeamId}:{due.Week}", due.At, ConversationId: team.ChannelConversationId));
                }
            }

            foreach (var tenant in await connection.QueryAsync<TenantRow>(new CommandDefinition(SelectTenants, cancellationToken: ct)))
            {
                if (Due(at, tenant.TimeZone, tenant.Weekday, tenant.LocalTime) is not { } due)
                {
                    continue;
                }

                var payload = JsonSerializer.SerializeToElement(new { tenantId = tenant.TenantId, week = due.Week, schedule = Describe(tenant.Weekday, tenant.LocalTime, tenant.TimeZone) });
                var key = $"digest-rollup:{tenant.TenantId}:{due.Week}";
                if (tenant.LeadersConversationId is { } channel)
                {
                    deliveries.Add(new NewDelivery(tenant.TenantId, RollupKind, payload, $"{key}:channel", due.At, ConversationId: channel));
                }

                deliveries.AddRange(tenant.Leaders.Select(leader =>
                    new NewDelivery(tenant.TenantId, RollupKind, payload, $"{key}:person:{leader.ToString(CultureInfo.InvariantCulture)}", due.At, PersonId: leader)));
            }
        }

        return await outbox.EnqueueAsync(deliveries, ct);
    }

    /// <summary>This ISO week's digest instant in the zone, when it has come by <paramref name="at"/>; null before it.</summary>
    public static (DateTimeOffset At, string Week)? Due(DateTimeOffset at, string timeZone, int weekday, TimeOnly localTime)
    {
        var zone = WorkingTime.Zone(timeZone, TimeZoneInfo.Utc);
        var today = DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(at, zone).DateTime);
        var monday = today.AddDays(-(((int)today.DayOfWeek + 6) % 7));
        var day = monday.AddDays((weekday + 6) % 7);
        var due = WorkingTime.ToInstant(day.ToDateTime(localTime), zone);
        return at >= due ? (due, Week(day)) : null;
    }

    /// <summary>The ISO week of a date, e.g. "2026-W48": the period a digest covers and its idempotency key.</summary>
    public static string Week(DateOnly day) => string.Create(CultureInfo.InvariantCulture,
        $"{ISOWeek.GetYear(day.ToDateTime(TimeOnly.MinValue))}-W{ISOWeek.GetWeekOfYear(day.ToDateTime(TimeOnly.MinValue)):00}");

    /// <summary>E.g. "every Monday at 09:00 (Europe/Berlin)": the rule a digest names as the reason it was sent.</summary>
    public static string Describe(int weekday, TimeOnly localTime, string timeZone) =>
        string.Create(CultureInfo.InvariantCulture, $"every {(DayOfWeek)weekday} at {localTime:HH:mm} ({timeZone})");
}

/// <summary>Every 15 minutes: enqueue the digests whose local time has come (enqueueing one twice does nothing).</summary>
[DisallowConcurrentExecution]
public sealed class EnqueueDigestsJob(DigestScheduler digests, TimeProvider time) : IJob
{
    public const string Name = "digests-enqueue";
    public const string Group = "digests";

    public async ValueTask Execute(IJobExecutionContext context, CancellationToken cancellationToken = default) =>
        await digests.EnqueueDueAsync(time.GetUtcNow(), cancellationToken);
}
