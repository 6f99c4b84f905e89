using Dapper;
using Npgsql;

namespace AlignmentBot.Scheduler.People;

/// <summary>
/// Writes what a source says about people and keeps each person's effective values (the columns every feature reads)
/// equal to the highest-ranked source's: self &gt; file &gt; graph &gt; platform. Both writes happen only when something
/// changed, so a source repeating itself (a roster read, Graph's nightly sync, the same file again) writes no row.
/// </summary>
public static class PersonFacts
{
    public const string Platform = "platform";
    public const string Graph = "graph";
    public const string File = "file";
    public const string Self = "self";

    public const string TimeZone = "time_zone";
    public const string Manager = "manager";
    public const string Active = "active";
    public const string OptedOut = "opted_out";
    public const string Department = "department";
    public const string JobTitle = "job_title";
    public const string Leader = "leader";

    /// <summary>Sources, lowest first: a later one wins.</summary>
    public static readonly IReadOnlyList<string> Ranked = [Platform, Graph, File, Self];

    public static string Bool(bool value) => value ? "true" : "false";

    private const string UpsertFacts = """
        INSERT INTO person_facts (person_id, field, source, value, updated_at)
        SELECT f.person_id, f.field, f.source, f.value, @Now
        FROM unnest(@PersonIds, @Fields, @Sources, @Values) AS f(person_id, field, source, value)
        ON CONFLICT (person_id, field, source) DO UPDATE
        SET value = EXCLUDED.value, updated_at = EXCLUDED.updated_at
        WHERE person_facts.value IS DISTINCT FROM EXCLUDED.value
        RETURNING person_id
        """;

    // A field no source speaks of keeps its column as it is (set before sources were kept, or by nobody).
    private const string Recompute = """
        WITH best AS (
            SELECT DISTINCT ON (f.person_id, f.field) f.person_id, f.field, f.value
            FROM person_facts f
            WHERE f.person_id = ANY(@Ids)
            ORDER BY f.person_id, f.field, array_position(ARRAY['platform', 'graph', 'file', 'self'], f.source) DESC
        ), said AS (
            SELECT person_id,
                   bool_or(field = 'time_zone') AS has_zone,       max(value) FILTER (WHERE field = 'time_zone') AS time_zone,
                   bool_or(field = 'manager') AS has_manager,      max(value) FILTER (WHERE field = 'manager') AS manager,
                   bool_or(field = 'active') AS has_active,        max(value) FILTER (WHERE field = 'active') AS active,
                   bool_or(field = 'opted_out') AS has_opted_out,  max(value) FILTER (WHERE field = 'opted_out') AS opted_out,
                   bool_or(field = 'department') AS has_department, max(value) FILTER (WHERE field = 'department') AS department,
                   bool_or(field = 'job_title') AS has_job_title,  max(value) FILTER (WHERE field = 'job_title') AS job_title,
                   bool_or(field = 'leader') AS has_leader,        max(value) FILTER (WHERE field = 'leader') AS leader
            FROM best GROUP BY person_id
        ), next AS (
            SELECT p.id,
                   CASE WHEN s.has_zone THEN s.time_zone ELSE p.time_zone END AS time_zone,
                   CASE WHEN s.has_manager THEN (SELECT m.id FROM people m WHERE m.id = s.manager::bigint AND m.id <> p.id) ELSE p.manager_id END AS manager_id,
                   CASE WHEN s.has_active THEN coalesce(s.active::boolean, true) ELSE p.active END AS active,
                   CASE WHEN s.has_opted_out THEN coalesce(s.opted_out::boolean, false) ELSE p.opted_out_of_pulses END AS opted_out,
                   CASE WHEN s.has_department THEN s.department ELSE p.department END AS department,
                   CASE WHEN s.has_job_title THEN s.job_title ELSE p.job_title END AS job_title,
                   CASE WHEN s.has_leader THEN coalesce(s.leader::boolean, false) ELSE p.leader END AS leader
            FROM people p JOIN said s ON s.person_id = p.id
        )
        UPDATE people p
        SET time_zone = n.time_zone, manager_id = n.manager_id, active = n.active, opted_out_of_pulses = n.opted_out,
            department = n.department, job_title = n.job_title, leader = n.leader, updated_at = @Now
        FROM next n
        WHERE p.id = n.id
          AND (p.time_zone, p.manager_id, p.active, p.opted_out_of_pulses, p.department, p.job_title, p.leader)
              IS DISTINCT FROM (n.time_zone, n.manager_id, n.active, n.opted_out, n.department, n.job_title, n.leader)
        RETURNING p.id
        """;

    /// <summary>Records the facts (the last one wins for a repeated key) and returns the people whose effective values changed.</summary>
    public static async Task<IReadOnlyList<long>> WriteAsync(NpgsqlConnection connection, NpgsqlTransaction? transaction, IReadOnlyList<PersonFact> facts,
        DateTimeOffset now, CancellationToken ct)
    {
        if (facts.Count == 0)
        {
            return [];
        }

        var distinct = facts.GroupBy(f => (f.PersonId, f.Field, f.Source)).Select(g => g.Last()).ToList();
        var touched = (await connection.QueryAsync<long>(new CommandDefinition(UpsertFacts, new
        {
            PersonIds = distinct.Select(f => f.PersonId).ToArray(),
            Fields = distinct.Select(f => f.Field).ToArray(),
            Sources = distinct.Select(f => f.Source).ToArray(),
            Values = distinct.Select(f => f.Value).ToArray(),
            Now = now,
        }, transaction, cancellationToken: ct))).Distinct().ToArray();
        return touched.Length == 0 ? [] : await RecomputeAsync(connection, transaction, touched, now, ct);
    }

    /// <summary>Brings the people's effective columns in line with their facts; returns those that changed.</summary>
    public static async Task<IReadOnlyList<long>> RecomputeAsync(NpgsqlConnection connection, NpgsqlTransaction? transaction, IReadOnlyCollection<long> personIds,
        DateTimeOffset now, CancellationToken ct) =>
        [.. await connection.QueryAsync<long>(new CommandDefinition(Recompute, new { Ids = personIds.ToArray(), Now = now }, transaction, cancellationToken: ct))];

    private const string SelectFacts = """
        SELECT person_id, field, source, value FROM person_facts WHERE person_id = @PersonId
        ORDER BY field, array_position(ARRAY['platform', 'graph', 'file', 'self'], source) DESC
        """;

    /// <summary>Everything every source says about one person, the winning source first per field.</summary>
    public static async Task<IReadOnlyList<PersonFact>> OfAsync(NpgsqlConnection connection, long personId, CancellationToken ct) =>
        [.. await connection.QueryAsync<PersonFact>(new CommandDefinition(SelectFacts, new { PersonId = personId }, cancellationToken: ct))];
}
