using Dapper;
using Npgsql;

namespace AlignmentBot.Bot.Web.Data;

/// <summary>
/// The check-ins of one team's key results, newest first. Key results and their check-ins are not anonymous (the digest
/// names owners, and a check-in card is answered by its owner), so each check-in shows who made it; it is never pulse
/// data, which only ever leaves the database as a thresholded aggregate.
/// </summary>
public sealed class CheckinHistory(NpgsqlDataSource dataSource)
{
    /// <summary>At most this many check-ins per key result: a quarter of weekly check-ins.</summary>
    public const int PerKeyResult = 13;

    /// <summary>One check-in: when, the value and confidence given, the blocker noted, and who made it (null once erased).</summary>
    public sealed record Checkin(long KeyResultId, DateTimeOffset At, decimal Value, int? Confidence, string? Note, string? Author);

    private sealed record Row(long KeyResultId, DateTime At, decimal Value, short? Confidence, string? Note, string? Author);

    // Only this tenant's key results of this team, and nothing later than the page's "now" (the app's clock).
    private const string SelectCheckins = """
        SELECT c.key_result_id, c.created_at AS at, c.value, c.confidence, c.blocker AS note, p.display_name AS author
        FROM objectives o
        JOIN key_results kr ON kr.objective_id = o.id
        CROSS JOIN LATERAL (SELECT * FROM checkins c
                            WHERE c.key_result_id = kr.id AND c.created_at <= @At
                            ORDER BY c.created_at DESC, c.id DESC
                            LIMIT @Limit) c
        LEFT JOIN people p ON p.id = c.person_id
        WHERE o.team_id = @TeamId AND kr.tenant_id = @TenantId
        ORDER BY kr.id, c.created_at DESC, c.id DESC
        """;

    public async Task<IReadOnlyList<Checkin>> ForTeamAsync(long tenantId, long teamId, DateTimeOffset at, CancellationToken ct)
    {
        await using var connection = await dataSource.OpenConnectionAsync(ct);
        var rows = await connection.QueryAsync<Row>(new CommandDefinition(SelectCheckins,
            new { TenantId = tenantId, TeamId = teamId, At = at, Limit = PerKeyResult }, cancellationToken: ct));
        return [.. rows.Select(r => new Checkin(r.KeyResultId, new DateTimeOffset(DateTime.SpecifyKind(r.At, DateTimeKind.Utc)), r.Value, r.Confidence, r.Note, r.Author))];
    }
}
