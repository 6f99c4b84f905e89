using AlignmentBot.Storage.Database;
using AlignmentBot.Storage.Migrations;
using Dapper;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Npgsql;

namespace AlignmentBot.Bench.Digest;

/// <summary>
/// A synthetic organisation in its own database, generated set-based in PostgreSQL: 5,000 people in 500 teams of 10,
/// 2,000 team objectives under 10 company objectives, 20,000 key results with a year of weekly check-ins (about a
/// million; one in nine stopped three weeks ago, so it is stale), and a year of biweekly pulses of 12 questions to
/// everyone (about 1.3 million responses; every 20th team answers so rarely it stays under the threshold).
/// Values come from hashes, not random(), so every generation is the same organisation.
/// </summary>
public static class DigestOrganisation
{
    public const string Database = "digest_bench";
    public const int Teams = 500;

    /// <summary>The digest instant: Monday 30 November 2026, 09:00 in Berlin.</summary>
    public static readonly DateTimeOffset At = new(2026, 11, 30, 8, 0, 0, TimeSpan.Zero);

    private static readonly string[] Steps =
    [
        """
        INSERT INTO tenants (platform, external_id, name, time_zone)
        VALUES ('teams', 'bench', 'Bench Ltd', 'Europe/Berlin')
        """,
        "INSERT INTO people (tenant_id, platform_user_id, display_name, leader) SELECT 1, '29:p' || n, 'Person ' || n, n <= 2 FROM generate_series(1, 5000) n",
        """
        INSERT INTO conversations (tenant_id, kind, conversation_id, service_url)
        SELECT 1, 'channel', '19:team-' || t || '@thread.tacv2', 'https://smba.example.test/' FROM generate_series(1, 500) t
        """,
        // Ids are 1..n in a fresh database: person n is in team (n - 1) / 10 + 1, whose first member manages it.
        """
        INSERT INTO teams (tenant_id, name, channel_conversation_id, manager_id)
        SELECT 1, 'Team ' || t, t, (t - 1) * 10 + 1 FROM generate_series(1, 500) t
        """,
        """
        INSERT INTO team_members (team_id, person_id, role)
        SELECT (n - 1) / 10 + 1, n, CASE WHEN (n - 1) % 10 = 0 THEN 'manager' ELSE 'member' END FROM generate_series(1, 5000) n
        """,
        "INSERT INTO objectives (tenant_id, title, cycle) SELECT 1, 'Company objective ' || c, '2026' FROM generate_series(1, 10) c",
        """
        INSERT INTO objectives (tenant_id, team_id, parent_objective_id, title, cycle)
        SELECT 1, t, 1 + (t + o) % 10, 'Objective ' || o || ' of team ' || t, '2026' FROM generate_series(1, 500) t, generate_series(1, 4) o
        """,
        """
        INSERT INTO key_results (tenant_id, objective_id, title, owner_id, start_value, target_value, current_value, unit, checkin_cadence_days, starts_on, due_on, created_at)
        SELECT 1, o.id, 'Key result ' || k || ' of ' || o.title, (o.team_id - 1) * 10 + 1 + k % 10, 0, 100, 0, '%', 7, '2025-12-01', '2026-12-31', '2025-12-01 08:00Z'
        FROM objectives o, generate_series(1, 10) k WHERE o.team_id IS NOT NULL
        """,
        """
        INSERT INTO checkins (key_result_id, person_id, value, confidence, created_at)
        SELECT kr.id, kr.owner_id, least(100, round(w * (0.8 + (kr.id % 7) * 0.25) + abs(hashtext(kr.id || ':' || w)) % 5, 1)),
               2 + abs(hashtext(w || ':' || kr.id)) % 9, timestamptz '2025-12-02 10:00Z' + make_interval(days => (w * 7 + kr.id % 5)::int)
        FROM key_results kr, generate_series(0, 51) w
        WHERE w <= CASE WHEN kr.id % 9 = 0 THEN 48 ELSE 51 END
        """,
        """
        UPDATE key_results kr SET current_value = c.value, confidence = c.confidence, last_checkin_at = c.created_at
        FROM (SELECT DISTINCT ON (key_result_id) key_result_id, value, confidence, created_at FROM checkins ORDER BY key_result_id, created_at DESC) c
        WHERE c.key_result_id = kr.id
        """,
        "INSERT INTO surveys (tenant_id, name, cadence, cadence_day) VALUES (1, 'Alignment pulse', 'biweekly', 4)",
        """
        INSERT INTO survey_questions (survey_id, position, kind, prompt)
        SELECT 1, q, CASE WHEN q = 12 THEN 'enps' ELSE 'likert5' END, 'Question ' || q FROM generate_series(1, 12) q
        """,
        "INSERT INTO survey_audiences (survey_id, team_id) SELECT 1, t FROM generate_series(1, 500) t",
        """
        INSERT INTO survey_runs (survey_id, status, opened_at, closes_at, closed_at, audience_size)
        SELECT 1, 'closed', at, at + interval '3 days', at + interval '3 days', 5000
        FROM generate_series(timestamptz '2025-12-11 09:00Z', timestamptz '2026-11-26 09:00Z', interval '14 days') at
        """,
        """
        INSERT INTO invitations (run_id, person_id, team_id, invited_at, sent_at, answered)
        SELECT r.id, m.person_id, m.team_id, r.opened_at, r.opened_at,
               abs(hashtext(r.id || ':' || m.person_id)) % 100 < CASE WHEN m.team_id % 20 = 0 THEN 35 ELSE 88 END
        FROM survey_runs r, team_members m
        """,
        """
        INSERT INTO responses (run_id, question_id, respondent_key, team_id, value_number)
        SELECT i.run_id, q.id, decode(md5(i.run_id || ':' || i.person_id), 'hex'), i.team_id,
               CASE WHEN q.kind = 'enps' THEN abs(hashtext(q.id || ':' || i.person_id || ':' || i.run_id)) % 11
                    ELSE 1 + abs(hashtext(q.id || ':' || i.person_id || ':' || i.run_id)) % 5 END
        FROM invitations i, survey_questions q
        WHERE i.answered
        """,
    ];

    /// <summary>Creates the database afresh and fills it; prints each step's time.</summary>
    public static async Task GenerateAsync(string server, TextWriter log)
    {
        await using (var connection = new NpgsqlConnection(server))
        {
            await connection.ExecuteAsync($"DROP DATABASE IF EXISTS \"{Database}\" WITH (FORCE)");
            await connection.ExecuteAsync($"CREATE DATABASE \"{Database}\"");
        }

        var connectionString = ConnectionString(server);
        await new DatabaseMigrator(Options.Create(new PostgresOptions { ConnectionString = connectionString }), NullLogger<DatabaseMigrator>.Instance)
            .MigrateAsync(CancellationToken.None);
        await using var db = new NpgsqlConnection(connectionString);
        foreach (var step in Steps)
        {
            var started = TimeProvider.System.GetTimestamp();
            var rows = await db.ExecuteAsync(new CommandDefinition(step, commandTimeout: 600));
            await log.WriteLineAsync($"  {rows,9:N0} rows in {TimeProvider.System.GetElapsedTime(started).TotalSeconds,5:0.0} s  {step.Split('\n')[0].Trim()[..Math.Min(70, step.Split('\n')[0].Trim().Length)]}");
        }

        await db.ExecuteAsync(new CommandDefinition("VACUUM ANALYZE", commandTimeout: 600));
        var counts = await db.QuerySingleAsync<(long People, long Teams, long KeyResults, long Checkins, long Responses)>(
            "SELECT (SELECT count(*) FROM people), (SELECT count(*) FROM teams), (SELECT count(*) FROM key_results), (SELECT count(*) FROM checkins), (SELECT count(*) FROM responses)");
        await log.WriteLineAsync($"generated: people={counts.People} teams={counts.Teams} key_results={counts.KeyResults} checkins={counts.Checkins} responses={counts.Responses}");
    }

    public static string ConnectionString(string server) => new NpgsqlConnectionStringBuilder(server) { Database = Database }.ConnectionString;
}
