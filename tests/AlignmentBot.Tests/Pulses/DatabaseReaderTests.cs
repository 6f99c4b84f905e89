using System.Globalization;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text;
using AlignmentBot.Bot.Pulses;
using AlignmentBot.Scheduler.Delivery;
using AlignmentBot.Scheduler.Pulses;
using AlignmentBot.Tests.Support;
using AlignmentBot.Tests.Teams.Fakes;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using Npgsql;

namespace AlignmentBot.Tests.Pulses;

/// <summary>
/// An attacker reads the whole database — every table, with its system columns (xmin, ctid) and timestamps — after
/// people answered one at a time, and after each answer, and tries to tie answers to people. Each way fails.
/// </summary>
public class DatabaseReaderTests
{
    private const string Secret = "test-response-key-secret-0123456789abcdef";
    private const int People = 8;
    private const int Threshold = 5;
    private static readonly DateTimeOffset OpenedAt = new(2026, 3, 3, 9, 0, 0, TimeSpan.Zero);

    // The heartbeat and tenant leases of the delivery engine name no one; Quartz and DbUp keep their own tables.
    private const string ProductTables = """
        SELECT tablename FROM pg_tables
        WHERE schemaname = 'public' AND tablename NOT LIKE 'qrtz%'
          AND tablename NOT IN ('schemaversions', 'delivery_instances', 'delivery_tenant_owners', 'responses')
        ORDER BY tablename
        """;

    private TestDatabase _database = null!;
    private FakeBotConnector _connector = null!;
    private BotFactory _bot = null!;
    private HttpClient _http = null!;
    private long _runId;
    private long[] _questions = [];
    private readonly List<long> _people = [];

    [SetUp]
    public async Task StartAsync()
    {
        _database = await TestDatabase.CreateAsync();
        _connector = await FakeBotConnector.StartAsync();
        var seed = await new PulseSeed(_database).TenantAsync("Europe/London");
        var team = await seed.TeamAsync("Platform");
        _people.Clear();
        for (var i = 0; i < People; i++)
        {
            _people.Add(await seed.PersonAsync(team, $"person-{i}", "Europe/London"));
        }

        var dataSource = _database.CreateDataSource();
        var clock = new FakeTimeProvider(OpenedAt);
        var surveyId = await new SurveyStore(dataSource, clock).SaveAsync(new SurveyDefinition
        {
            Tenant = PulseSeed.TenantExternalId,
            Name = "Alignment pulse",
            Questions =
            [
                new SurveyQuestion(QuestionKinds.Likert5, "I know what is expected of me this quarter.", "clarity"),
                new SurveyQuestion(QuestionKinds.Text, "What is unclear or blocking you right now?", "blockers", Required: false),
            ],
            Audience = [team],
        }, defaultForTeam: null, CancellationToken.None);
        _runId = (await new PulseRunOpener(dataSource, new Outbox(dataSource, clock)).OpenAsync(surveyId, clock.GetUtcNow(), CancellationToken.None)).RunId;
        _questions = (await _database.ScalarAsync<long[]>($"SELECT array_agg(id ORDER BY position) FROM survey_questions WHERE survey_id = {surveyId}"))!;
        // The pulse cards are not under test; the reminders stay pending (later than this clock), as a reader would find them.
        await _database.ExecuteAsync("UPDATE deliveries SET status = 'cancelled' WHERE kind <> 'pulse-reminder'");
        _bot = new BotFactory(_database, new Dictionary<string, string?> { ["Privacy:ResponseKeySecret"] = Secret }, clock);
        _http = _bot.CreateClient();
    }

    [TearDown]
    public async Task StopAsync()
    {
        _http.Dispose();
        await _bot.DisposeAsync();
        await _connector.DisposeAsync();
        await _database.DisposeAsync();
    }

    [Test]
    public async Task Answers_given_one_at_a_time_cannot_be_tied_to_people_by_transaction_ids_row_order_or_timestamps()
    {
        var marker = _bot.Services.GetRequiredService<AnsweredMarker>();
        for (var i = 0; i < People; i++)
        {
            await SayAsync(i, "help"); // everyone has talked to the bot before: their chat is stored
        }

        var flaggedPerBatch = new List<int>();
        var before = await SnapshotAsync();
        for (var i = 0; i < People; i++)
        {
            await SubmitAsync(i, likert: 1 + i % 5, comment: $"comment of person {i}");
            Assert.That(await SnapshotAsync(), Is.EqualTo(before),
                $"submission {i + 1} wrote only answers: no row that names a person changed, not even its xmin");

            flaggedPerBatch.Add(await marker.MarkAsync(CancellationToken.None));
            before = await SnapshotAsync();
        }

        await _database.ExecuteAsync($"UPDATE survey_runs SET status = 'closed', closed_at = now() WHERE id = {_runId}");
        var atClose = await marker.MarkAsync(CancellationToken.None);

        Assert.That(flaggedPerBatch.Where(n => n > 0), Has.All.GreaterThanOrEqualTo(Threshold), "while open, flags are written only for at least the threshold at once");
        Assert.That(flaggedPerBatch.Sum() + atClose, Is.EqualTo(People), "and at the close, everyone who answered is flagged");

        var keyOf = _people.ToDictionary(p => p, p => Convert.ToHexString(HMACSHA256.HashData(Encoding.UTF8.GetBytes(Secret), Encoding.UTF8.GetBytes($"run:{_runId}:person:{p}"))));
        var responses = await RowsAsync($"SELECT encode(respondent_key, 'hex') AS key, xmin::text AS xmin FROM responses WHERE run_id = {_runId} ORDER BY ctid");
        var invitations = await RowsAsync($"SELECT person_id::text AS key, xmin::text AS xmin FROM invitations WHERE run_id = {_runId}");

        // Transaction ids: the people flagged in one transaction and the answers rewritten in it must be many, never one.
        foreach (var (person, xmin) in invitations)
        {
            var sameTransaction = responses.Where(r => r.Xmin == xmin).Select(r => r.Key).Distinct().Count();
            Assert.That(sameTransaction, Is.Zero.Or.GreaterThanOrEqualTo(Threshold), $"person {person}'s flag shares a transaction with {sameTransaction} answer sets");
        }

        Assert.That(responses.Select(r => r.Xmin).Distinct().Count(), Is.EqualTo(1), "after the close every answer carries the same transaction id");

        // Reminders: cancelled only by the batches, many people at once, never one person at their answer's time.
        var reminders = await RowsAsync("SELECT person_id::text, xmin::text FROM deliveries WHERE kind = 'pulse-reminder' AND status = 'cancelled'");
        Assert.That(reminders.Select(r => r.Key).Distinct().Count(), Is.EqualTo(People));
        foreach (var group in reminders.GroupBy(r => r.Xmin))
        {
            Assert.That(invitations.Where(i => i.Xmin == group.Key).Select(i => i.Key), Is.SupersetOf(group.Select(r => r.Key).Distinct()),
                "a reminder is cancelled in the transaction that flags its person");
        }
        var personXmins = await ColumnAsync("SELECT xmin::text FROM people UNION ALL SELECT xmin::text FROM conversations UNION ALL SELECT xmin::text FROM team_members");
        Assert.That(personXmins.Intersect(responses.Select(r => r.Xmin)), Is.Empty, "no row naming a person was written with the answers");

        // Physical order: the order the answer sets lie in is not the order people answered in.
        var stored = responses.Select(r => r.Key.ToUpperInvariant()).Distinct().ToList();
        var answeredOrder = _people.Select(p => keyOf[p]).ToList();
        Assert.That(stored, Is.EquivalentTo(answeredOrder));
        Assert.That(stored, Is.Not.EqualTo(answeredOrder), "rows in answer order would give the sequence away (chance of a false alarm: 1 in 8!)");

        // Timestamps: responses have none at all.
        Assert.That(await ColumnAsync("SELECT column_name FROM information_schema.columns WHERE table_name = 'responses' AND data_type LIKE 'timestamp%'"), Is.Empty);
    }

    private async Task SayAsync(int person, string text)
    {
        using var response = await _http.PostAsJsonAsync("/api/messages", ChatActivities.Message($"person-{person}", text, _connector.ServiceUrl));
        response.EnsureSuccessStatusCode();
    }

    private async Task SubmitAsync(int person, int likert, string comment)
    {
        var data = new Dictionary<string, string>
        {
            ["runId"] = _runId.ToString(CultureInfo.InvariantCulture),
            [$"q{_questions[0]}"] = likert.ToString(CultureInfo.InvariantCulture),
            [$"q{_questions[1]}"] = comment,
        };
        using var response = await _http.PostAsJsonAsync("/api/messages", ChatActivities.Invoke($"person-{person}", "pulse.submit", data, _connector.ServiceUrl));
        response.EnsureSuccessStatusCode();
        Assert.That(await response.Content.ReadAsStringAsync(), Does.Contain("Thanks"));
    }

    /// <summary>Every row of every product table but responses, with its xmin and ctid.</summary>
    private async Task<List<string>> SnapshotAsync()
    {
        var rows = new List<string>();
        foreach (var table in await ColumnAsync(ProductTables))
        {
            rows.AddRange((await ColumnAsync($"SELECT '{table} ' || xmin::text || ' ' || ctid::text || ' ' || row_to_json(t)::text FROM {table} t")).Order(StringComparer.Ordinal));
        }

        return rows;
    }

    private async Task<List<string>> ColumnAsync(string sql)
    {
        await using var connection = new NpgsqlConnection(_database.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        await using var reader = await command.ExecuteReaderAsync();
        var values = new List<string>();
        while (await reader.ReadAsync())
        {
            values.Add(reader.GetString(0));
        }

        return values;
    }

    private async Task<List<(string Key, string Xmin)>> RowsAsync(string sql)
    {
        await using var connection = new NpgsqlConnection(_database.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        await using var reader = await command.ExecuteReaderAsync();
        var rows = new List<(string, string)>();
        while (await reader.ReadAsync())
        {
            rows.Add((reader.GetString(0), reader.GetString(1)));
        }

        return rows;
    }
}
