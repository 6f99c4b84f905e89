using AlignmentBot.Scheduler.Delivery;
using AlignmentBot.Scheduler.Pulses;
using AlignmentBot.Tests.Support;
using Microsoft.Extensions.Time.Testing;

namespace AlignmentBot.Tests.Pulses;

/// <summary>Results: exact aggregates above the thresholds, nothing below, no differencing, only after close.</summary>
public class PulseResultsTests
{
    private static readonly DateTimeOffset Monday0600 = new(2026, 11, 2, 6, 0, 0, TimeSpan.Zero);

    private TestDatabase _database = null!;
    private PulseSeed _seed = null!;
    private PulseResults _results = null!;
    private long _teamA;
    private long _teamB;
    private long _runId;
    private long[] _questions = [];

    [SetUp]
    public async Task StartAsync()
    {
        _database = await TestDatabase.CreateAsync();
        _seed = await new PulseSeed(_database).TenantAsync();
        _teamA = await _seed.TeamAsync("Platform");
        _teamB = await _seed.TeamAsync("Payments");
        for (var i = 0; i < 6; i++)
        {
            await _seed.PersonAsync(_teamA, $"a{i}", "Europe/London");
            await _seed.PersonAsync(_teamB, $"b{i}", "Europe/London");
        }

        var dataSource = _database.CreateDataSource();
        var clock = new FakeTimeProvider(Monday0600);
        var survey = await new SurveyStore(dataSource, clock).SaveAsync(new SurveyDefinition
        {
            Tenant = PulseSeed.TenantExternalId,
            Name = "Alignment pulse",
            Questions =
            [
                new SurveyQuestion(QuestionKinds.Likert5, "I know what is expected of me this quarter."),
                new SurveyQuestion(QuestionKinds.Enps, "How likely are you to recommend working here?"),
                new SurveyQuestion(QuestionKinds.Text, "What is unclear?", Required: false),
            ],
            Audience = [_teamA, _teamB],
        }, defaultForTeam: null, CancellationToken.None);
        _runId = (await new PulseRunOpener(dataSource, new Outbox(dataSource, clock)).OpenAsync(survey, Monday0600, CancellationToken.None)).RunId;
        _questions = (await _database.ScalarAsync<long[]>($"SELECT array_agg(id ORDER BY position) FROM survey_questions WHERE survey_id = {survey}"))!;
        _results = new PulseResults(dataSource);
    }

    [TearDown]
    public async Task StopAsync() => await _database.DisposeAsync();

    /// <summary>Answers from one respondent of the team (a random key, as an HMAC looks to the database).</summary>
    private Task AnswerAsync(long team, int likert, int enps, string? comment = null) => _database.ExecuteAsync($"""
        WITH k AS (SELECT decode(md5(random()::text || clock_timestamp()::text), 'hex') AS key)
        INSERT INTO responses (run_id, question_id, respondent_key, team_id, value_number, value_text)
        SELECT {_runId}, q, k.key, {team}, v, t FROM k, (VALUES ({_questions[0]}, {likert}::numeric, NULL::text), ({_questions[1]}, {enps}, NULL),
            ({_questions[2]}, NULL, {(comment is null ? "NULL" : $"'{comment}'")})) AS a(q, v, t)
        WHERE v IS NOT NULL OR t IS NOT NULL
        """);

    private Task CloseAsync() => _database.ExecuteAsync($"UPDATE survey_runs SET status = 'closed', closed_at = closes_at WHERE id = {_runId}");

    private Task<IReadOnlyList<GroupResult>?> ResultsAsync() =>
        _results.ForTeamsAsync(_runId, [(_teamA, "Platform"), (_teamB, "Payments")], CancellationToken.None);

    private async Task AnswerTeamAAsync()
    {
        int[] likert = [5, 4, 4, 3, 2, 5];
        int[] enps = [10, 9, 8, 7, 6, 0];
        for (var i = 0; i < 6; i++)
        {
            await AnswerAsync(_teamA, likert[i], enps[i], $"comment a{i}");
        }
    }

    [Test]
    public async Task Nothing_is_shown_before_the_run_closes()
    {
        await AnswerTeamAAsync();

        var results = await ResultsAsync();

        Assert.That(results!.Select(r => r.HiddenBecause), Has.All.EqualTo("Results appear when the pulse closes."));
        Assert.That(results!.SelectMany(r => r.Questions), Is.Empty);
    }

    [Test]
    public async Task A_team_over_the_threshold_gets_exact_aggregates_and_one_under_it_only_the_reason()
    {
        await AnswerTeamAAsync();
        for (var i = 0; i < 4; i++)
        {
            await AnswerAsync(_teamB, 1, 0);
        }

        await CloseAsync();
        var results = (await ResultsAsync())!;

        var platform = results.Single(r => r.Group == "Platform");
        Assert.That(platform.HiddenBecause, Is.Null);
        Assert.That(platform.Participation, Is.EqualTo(100m), "6 of 6 invited");
        var likert = platform.Questions.Single(q => q.Kind == "likert5");
        Assert.That(likert.Mean, Is.EqualTo(3.83m));
        Assert.That(likert.FavourablePercent, Is.EqualTo(66.7m));
        Assert.That(likert.Distribution, Is.EqualTo(new Dictionary<string, int> { ["2"] = 1, ["3"] = 1, ["4"] = 2, ["5"] = 2 }));
        Assert.That(platform.Questions.Single(q => q.Kind == "enps").Enps, Is.EqualTo(0m), "2 promoters, 2 detractors of 6");
        Assert.That(platform.Questions.Single(q => q.Kind == "text").Comments, Is.Empty, "6 comments are under the comment threshold of 10");

        var payments = results.Single(r => r.Group == "Payments");
        Assert.That(payments.HiddenBecause, Does.StartWith("Fewer than 5 people answered"));
        Assert.That(payments.Questions, Is.Empty);
    }

    [Test]
    public async Task The_combined_group_is_withheld_when_subtracting_the_shown_team_would_reveal_the_small_one()
    {
        await AnswerTeamAAsync();
        for (var i = 0; i < 4; i++)
        {
            await AnswerAsync(_teamB, 1, 0);
        }

        await CloseAsync();
        var all = (await ResultsAsync())!.Single(r => r.Group == "All your teams");

        Assert.That(all.HiddenBecause, Does.Contain("would reveal the answers of a team"));
        Assert.That(all.Questions, Is.Empty, "10 − 6 = the 4-person team: never shown");
    }

    [Test]
    public async Task With_both_teams_over_the_threshold_everything_is_shown_and_comments_need_ten()
    {
        await AnswerTeamAAsync();
        for (var i = 0; i < 5; i++)
        {
            await AnswerAsync(_teamB, 4, 9, $"comment b{i}");
        }

        await CloseAsync();
        var results = (await ResultsAsync())!;

        Assert.That(results.Select(r => r.HiddenBecause), Has.All.Null);
        var all = results.Single(r => r.Group == "All your teams");
        Assert.That(all.Questions.Single(q => q.Kind == "likert5").Mean, Is.EqualTo(3.91m), "(23 + 20) / 11");
        Assert.That(all.Questions.Single(q => q.Kind == "enps").Enps, Is.EqualTo(45.5m), "7 promoters − 2 detractors of 11");
        Assert.That(all.Questions.Single(q => q.Kind == "text").Comments, Has.Count.EqualTo(11).And.Ordered, "11 commenters: shown, in alphabetical order");
        Assert.That(results.Single(r => r.Group == "Payments").Questions.Single(q => q.Kind == "text").Comments, Is.Empty);
    }

    [Test]
    public async Task Each_question_carries_the_previous_runs_mean_for_the_trend()
    {
        await AnswerTeamAAsync(); // mean 3.83
        await CloseAsync();
        var surveyId = await _database.ScalarAsync<long>($"SELECT survey_id FROM survey_runs WHERE id = {_runId}");
        var dataSource = _database.CreateDataSource();
        var later = Monday0600.AddDays(14);
        _runId = (await new PulseRunOpener(dataSource, new Outbox(dataSource, new FakeTimeProvider(later))).OpenAsync(surveyId, later, CancellationToken.None)).RunId;
        for (var i = 0; i < 5; i++)
        {
            await AnswerAsync(_teamA, 5, 10);
        }

        await CloseAsync();
        var platform = (await ResultsAsync())!.Single(r => r.Group == "Platform");

        var likert = platform.Questions.Single(q => q.Kind == "likert5");
        Assert.That((likert.Mean, likert.PreviousMean), Is.EqualTo((5.00m, 3.83m)));
        Assert.That(platform.Participation, Is.EqualTo(83.3m), "5 of 6");
    }

    [Test]
    public async Task Comments_of_the_combined_group_are_withheld_when_subtracting_a_shown_team_would_reveal_fewer_than_ten()
    {
        for (var i = 0; i < 10; i++)
        {
            await AnswerAsync(_teamA, 4, 9, $"comment a{i}");
        }

        for (var i = 0; i < 5; i++)
        {
            await AnswerAsync(_teamB, 4, 9, i < 4 ? $"comment b{i}" : null);
        }

        await CloseAsync();
        var results = (await ResultsAsync())!;

        Assert.That(results.Single(r => r.Group == "Platform").Questions.Single(q => q.Kind == "text").Comments, Has.Count.EqualTo(10), "10 commenters: shown");
        Assert.That(results.Single(r => r.Group == "Payments").Questions.Single(q => q.Kind == "text").Comments, Is.Empty, "4 commenters: not shown");
        var all = results.Single(r => r.Group == "All your teams");
        Assert.That(all.HiddenBecause, Is.Null, "its scores are fine: 15 respondents, and both teams are shown");
        Assert.That(all.Questions.Single(q => q.Kind == "text").Comments, Is.Empty,
            "14 comments minus Platform's 10 would be exactly Payments' 4");
    }

    [Test]
    public async Task The_combined_groups_previous_means_are_withheld_when_a_team_was_under_the_threshold_last_time()
    {
        for (var i = 0; i < 10; i++)
        {
            await AnswerAsync(_teamA, 4, 9);
        }

        for (var i = 0; i < 4; i++)
        {
            await AnswerAsync(_teamB, 1, 0);
        }

        await CloseAsync();
        await NextRunAsync();
        for (var i = 0; i < 10; i++)
        {
            await AnswerAsync(_teamA, 5, 10);
        }

        for (var i = 0; i < 5; i++)
        {
            await AnswerAsync(_teamB, 3, 5);
        }

        await CloseAsync();
        var results = (await ResultsAsync())!;

        Assert.That(Likert("Platform").PreviousMean, Is.EqualTo(4.00m), "Platform had 10 respondents last time");
        Assert.That(Likert("Payments").PreviousMean, Is.Null, "Payments had 4");
        Assert.That(Likert("All your teams").Mean, Is.EqualTo(4.33m), "this run's combined mean is fine: both teams are shown");
        Assert.That(Likert("All your teams").PreviousMean, Is.Null,
            "last run's combined mean (14 people) and Platform's (10) would give Payments' 4 answers, and so would the trend");

        QuestionResult Likert(string group) => results.Single(r => r.Group == group).Questions.Single(q => q.Kind == "likert5");
    }

    [Test]
    public async Task The_combined_groups_previous_means_are_shown_when_every_team_was_shown_last_time()
    {
        for (var i = 0; i < 10; i++)
        {
            await AnswerAsync(_teamA, 4, 9);
        }

        for (var i = 0; i < 5; i++)
        {
            await AnswerAsync(_teamB, 1, 0);
        }

        await CloseAsync();
        await NextRunAsync();
        for (var i = 0; i < 5; i++)
        {
            await AnswerAsync(_teamA, 5, 10);
            await AnswerAsync(_teamB, 5, 10);
        }

        await CloseAsync();
        var all = (await ResultsAsync())!.Single(r => r.Group == "All your teams");

        Assert.That(all.Questions.Single(q => q.Kind == "likert5").PreviousMean, Is.EqualTo(3.00m), "the negative control: (40 + 5) / 15");
    }

    private async Task NextRunAsync()
    {
        var surveyId = await _database.ScalarAsync<long>($"SELECT survey_id FROM survey_runs WHERE id = {_runId}");
        var dataSource = _database.CreateDataSource();
        var later = Monday0600.AddDays(14);
        _runId = (await new PulseRunOpener(dataSource, new Outbox(dataSource, new FakeTimeProvider(later))).OpenAsync(surveyId, later, CancellationToken.None)).RunId;
    }
}
