using System.Globalization;
using AlignmentBot.Tests.Pulses;
using AlignmentBot.Tests.Support;

namespace AlignmentBot.Tests.Okrs;

/// <summary>Objectives and key results written straight into the database, for tests of what reads them.</summary>
public sealed class OkrSeed(TestDatabase database, PulseSeed people)
{
    public long TenantId => people.TenantId;

    public Task<long> ObjectiveAsync(long? teamId, string title, long? parentId = null) => database.ScalarAsync<long>($"""
        INSERT INTO objectives (tenant_id, team_id, parent_objective_id, title, cycle)
        VALUES ({TenantId}, {Sql(teamId)}, {Sql(parentId)}, '{title}', '2027-Q4') RETURNING id
        """);

    /// <summary>A key result from <paramref name="start"/> to <paramref name="target"/>, created at <paramref name="createdAt"/>.</summary>
    public Task<long> KeyResultAsync(long objectiveId, long ownerId, string title, DateTimeOffset createdAt, decimal start = 0, decimal target = 100,
        decimal? current = null, string unit = "", int? confidence = null, int cadenceDays = 7) => database.ScalarAsync<long>($"""
        INSERT INTO key_results (tenant_id, objective_id, title, owner_id, start_value, target_value, current_value, unit, confidence, checkin_cadence_days, created_at)
        VALUES ({TenantId}, {objectiveId}, '{title}', {ownerId}, {Sql(start)}, {Sql(target)}, {Sql(current ?? start)}, '{unit}', {Sql(confidence)}, {cadenceDays}, '{createdAt:O}')
        RETURNING id
        """);

    private static string Sql(long? value) => value?.ToString(CultureInfo.InvariantCulture) ?? "NULL";

    private static string Sql(decimal value) => value.ToString(CultureInfo.InvariantCulture);

    private static string Sql(int? value) => value?.ToString(CultureInfo.InvariantCulture) ?? "NULL";
}
