using AlignmentBot.Tests.Pulses;
using AlignmentBot.Tests.Support;

namespace AlignmentBot.Tests.Digests;

/// <summary>
/// A known week, as of Monday 30 November 2026 09:00 in London (= UTC): three teams, four key results with check-ins,
/// two closed pulse runs. Every number the digest shows is worked out by hand in the tests that use it.
/// <list type="bullet">
/// <item>Platform (8 invited): ARR on track and up 20 this week with confidence 6 → 8; Churn (a decrease) off track and
/// far behind its linear plan; Deploys stale, its owner away; Backlog new this week. Pulse 3.40 → 4.08, 6 of 8 answered.</item>
/// <item>Sales (10 invited): no key results; pulse 4.20 → 3.60 with 5 of 10 answering (two flags).</item>
/// <item>Payments (6 invited): 4 answered the latest run, so only the reason is shown.</item>
/// </list>
/// </summary>
public sealed class DigestFixture(TestDatabase database)
{
    public static readonly DateTimeOffset At = new(2026, 11, 30, 9, 0, 0, TimeSpan.Zero);

    public const string PlatformChannel = "19:platform@thread.tacv2";
    public const string LeadersChannel = "19:leaders@thread.tacv2";

    public PulseSeed Seed { get; } = new(database);

    public long TenantId => Seed.TenantId;

    public long Platform { get; private set; }
    public long Sales { get; private set; }
    public long Payments { get; private set; }
    public long Manager { get; private set; }
    public long Leader { get; private set; }

    private long _survey;
    private long[] _questions = [];

    public async Task<DigestFixture> CreateAsync(string serviceUrl = "https://smba.example.test/")
    {
        await Seed.TenantAsync("Europe/London");
        await database.ExecuteAsync($"""
            INSERT INTO conversations (tenant_id, kind, conversation_id, service_url) VALUES
                ({TenantId}, 'channel', '{PlatformChannel}', '{serviceUrl}'), ({TenantId}, 'channel', '{LeadersChannel}', '{serviceUrl}')
            """);
        Platform = await Seed.TeamAsync("Platform");
        Sales = await Seed.TeamAsync("Sales");
        Payments = await Seed.TeamAsync("Payments");
        await database.ExecuteAsync($"UPDATE teams SET channel_conversation_id = (SELECT id FROM conversations WHERE conversation_id = '{PlatformChannel}') WHERE id = {Platform}");

        var alice = await Seed.PersonAsync(Platform, "alice", null);
        var bob = await Seed.PersonAsync(Platform, "bob", null);
        await database.ExecuteAsync($"UPDATE people SET away_until = '2026-12-04' WHERE id = {bob}");
        Manager = await Seed.PersonAsync(Platform, "mia", null);
        await database.ExecuteAsync($"UPDATE teams SET manager_id = {Manager} WHERE id = {Platform}");
        Leader = await Seed.PersonAsync(Sales, "lea", null);
        await database.ExecuteAsync($"UPDATE people SET leader = true WHERE id = {Leader}");

        await OkrsAsync(alice, bob);
        await PulsesAsync();
        return this;
    }

    private async Task OkrsAsync(long alice, long bob)
    {
        var company = await database.ScalarAsync<long>($"INSERT INTO objectives (tenant_id, title, cycle) VALUES ({TenantId}, 'Grow revenue', '2026-Q4') RETURNING id");
        var midMarket = await database.ScalarAsync<long>(
            $"INSERT INTO objectives (tenant_id, team_id, parent_objective_id, title, cycle) VALUES ({TenantId}, {Platform}, {company}, 'Win mid-market', '2026-Q4') RETURNING id");
        var backlog = await database.ScalarAsync<long>($"INSERT INTO objectives (tenant_id, team_id, title, cycle) VALUES ({TenantId}, {Platform}, 'Tidy the backlog', '2026-Q4') RETURNING id");

        await KeyResultAsync(midMarket, "ARR", alice, 0, 100, "k€", "'2026-10-01'", "'2026-12-31'", "2026-10-01", [("2026-11-20", 40, 6), ("2026-11-27", 60, 8)]);
        await KeyResultAsync(midMarket, "Churn", alice, 10, 5, "%", "'2026-10-01'", "'2026-12-31'", "2026-10-01", [("2026-11-10", 9.5m, 4), ("2026-11-25", 9, 3)]);
        await KeyResultAsync(midMarket, "Deploys", bob, 0, 50, "", "NULL", "NULL", "2026-10-01", [("2026-11-15", 10, 5)]);
        await KeyResultAsync(backlog, "Backlog items closed", alice, 0, 20, "", "NULL", "NULL", "2026-11-26", []);
    }

    private async Task KeyResultAsync(long objective, string title, long owner, decimal start, decimal target, string unit, string startsOn, string dueOn,
        string createdOn, (string On, decimal Value, int Confidence)[] checkins)
    {
        (string On, decimal Value, int Confidence)? last = checkins.Length == 0 ? null : checkins[^1];
        var id = await database.ScalarAsync<long>($"""
            INSERT INTO key_results (tenant_id, objective_id, title, owner_id, start_value, target_value, current_value, unit, direction, confidence, starts_on, due_on, last_checkin_at, created_at)
            VALUES ({TenantId}, {objective}, '{title}', {owner}, {start}, {target}, {last?.Value ?? start}, '{unit}', '{(target > start ? "increase" : "decrease")}',
                    {(last is null ? "NULL" : last.Value.Confidence)}, {startsOn}::date, {dueOn}::date, {(last is null ? "NULL" : $"'{last.Value.On} 12:00Z'")}, '{createdOn} 08:00Z')
            RETURNING id
            """);
        foreach (var (on, value, confidence) in checkins)
        {
            await database.ExecuteAsync($"INSERT INTO checkins (key_result_id, person_id, value, confidence, created_at) VALUES ({id}, {owner}, {value}, {confidence}, '{on} 12:00Z')");
        }
    }

    private async Task PulsesAsync()
    {
        _survey = await database.ScalarAsync<long>($"INSERT INTO surveys (tenant_id, name, cadence, cadence_day) VALUES ({TenantId}, 'Alignment pulse', 'biweekly', 4) RETURNING id");
        await database.ExecuteAsync($"""
            INSERT INTO survey_questions (survey_id, position, kind, prompt) VALUES
                ({_survey}, 1, 'likert5', 'I know what is expected of me.'), ({_survey}, 2, 'likert5', 'I see how my work serves the company goals.'),
                ({_survey}, 3, 'enps', 'How likely are you to recommend working here?');
            INSERT INTO survey_audiences (survey_id, team_id) VALUES ({_survey}, {Platform}), ({_survey}, {Sales}), ({_survey}, {Payments});
            """);
        _questions = (await database.ScalarAsync<long[]>($"SELECT array_agg(id ORDER BY position) FROM survey_questions WHERE survey_id = {_survey}"))!;

        var earlier = await RunAsync("2026-11-09", "2026-11-12", (Platform, 8), (Sales, 10), (Payments, 6));
        await AnswersAsync(earlier, Platform, [4, 4, 3, 3, 4], [3, 3, 3, 4, 3], [8, 8, 8, 8, 8]);
        await AnswersAsync(earlier, Sales, [5, 4, 4, 4, 4], [4, 4, 4, 4, 5], [9, 9, 9, 9, 9]);
        await AnswersAsync(earlier, Payments, [5, 5, 5, 5, 5], [5, 5, 5, 5, 5], [10, 10, 10, 10, 10]);

        var latest = await RunAsync("2026-11-23", "2026-11-26", (Platform, 8), (Sales, 10), (Payments, 6));
        await AnswersAsync(latest, Platform, [5, 4, 4, 4, 5, 3], [4, 4, 3, 5, 4, 4], [10, 9, 9, 7, 6, 3]);
        await AnswersAsync(latest, Sales, [4, 4, 3, 3, 4], [4, 3, 4, 4, 3], [7, 7, 7, 7, 7]);
        await AnswersAsync(latest, Payments, [1, 1, 1, 1], [1, 1, 1, 1], [0, 0, 0, 0]);
    }

    /// <summary>A closed run with invitations for the given number of people per team (people made up for the count).</summary>
    private async Task<long> RunAsync(string opened, string closed, params (long Team, int Invited)[] teams)
    {
        var run = await database.ScalarAsync<long>($"""
            INSERT INTO survey_runs (survey_id, status, opened_at, closes_at, closed_at, audience_size)
            VALUES ({_survey}, 'closed', '{opened} 10:00Z', '{closed} 10:00Z', '{closed} 10:00Z', {teams.Sum(t => t.Invited)}) RETURNING id
            """);
        foreach (var (team, invited) in teams)
        {
            await database.ExecuteAsync($"""
                INSERT INTO people (tenant_id, platform_user_id, display_name)
                SELECT {TenantId}, '29:invitee-{run}-{team}-' || i, 'Invitee' FROM generate_series(1, {invited}) i
                ON CONFLICT DO NOTHING;
                INSERT INTO invitations (run_id, person_id, team_id, invited_at, answered)
                SELECT {run}, p.id, {team}, '{opened} 10:00Z', false FROM people p WHERE p.platform_user_id LIKE '29:invitee-{run}-{team}-%'
                """);
        }

        return run;
    }

    /// <summary>One respondent per position: their answers to the two likert questions and the eNPS question.</summary>
    private async Task AnswersAsync(long run, long team, int[] first, int[] second, int[] enps)
    {
        for (var i = 0; i < first.Length; i++)
        {
            await database.ExecuteAsync($"""
                WITH k AS (SELECT decode(md5(random()::text || clock_timestamp()::text), 'hex') AS key)
                INSERT INTO responses (run_id, question_id, respondent_key, team_id, value_number)
                SELECT {run}, q, k.key, {team}, v FROM k, (VALUES ({_questions[0]}, {first[i]}), ({_questions[1]}, {second[i]}), ({_questions[2]}, {enps[i]})) AS a(q, v)
                """);
        }
    }
}
