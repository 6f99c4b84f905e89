using System.Text.Json;
using AlignmentBot.Bot.Cards;
using AlignmentBot.Bot.Delivery;
using AlignmentBot.Bot.Digests;
using AlignmentBot.Bot.Directory;
using AlignmentBot.Bot.FocusAreas;
using AlignmentBot.Bot.Pulses;
using AlignmentBot.Bot.Slack.Blocks;
using AlignmentBot.Bot.Turns;
using AlignmentBot.Scheduler.Digests;
using AlignmentBot.Scheduler.FocusAreas;
using AlignmentBot.Scheduler.Pulses;
using AlignmentBot.Tests.Digests;
using AlignmentBot.Tests.Support;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace AlignmentBot.Tests.FocusAreas;

/// <summary>
/// "You said …, we are doing …" in the next team digest and the next pulse card (rendered for Teams and for Slack),
/// "Did it help?" asked once, in the first run opened after the focus was set, and its result only after that run
/// closed and only from the survey's threshold. Platform's "line of sight" scored 4.00 (83.3 % favourable) in the
/// fixture's latest run (<see cref="DigestFixture"/>).
/// </summary>
public class FocusChatTests
{
    private const string Plan = "Sprint reviews start with the quarter objectives.";

    private TestDatabase _database = null!;
    private DigestFixture _fixture = null!;
    private BotFactory _bot = null!;
    private FakeTimeProvider _clock = null!;
    private long _survey;
    private long[] _platform = [];

    [SetUp]
    public async Task StartAsync()
    {
        _database = await TestDatabase.CreateAsync();
        _fixture = await new DigestFixture(_database).CreateAsync();
        await _database.ExecuteAsync("UPDATE survey_questions SET driver = CASE position WHEN 1 THEN 'clarity' WHEN 2 THEN 'line of sight' ELSE 'recommend' END");
        foreach (var name in new[] { "pia", "pete", "paz" })
        {
            await _fixture.Seed.PersonAsync(_fixture.Platform, name, null);
        }

        _platform = (await _database.ScalarAsync<long[]>($"SELECT array_agg(person_id ORDER BY person_id) FROM team_members WHERE team_id = {_fixture.Platform}"))!;
        _survey = await _database.ScalarAsync<long>("SELECT id FROM surveys");
        _clock = new FakeTimeProvider(DigestFixture.At);
        _bot = new BotFactory(_database, new Dictionary<string, string?> { ["Privacy:ResponseKeySecret"] = "focus-tests-response-key-secret-0123456789" }, _clock);
        var outcome = await Service<FocusAreaStore>().SetAsync(_fixture.TenantId, _fixture.Platform, _fixture.Manager, "line of sight", Plan, CancellationToken.None);
        Assert.That(outcome.Saved, Is.True, outcome.Problem);
    }

    [TearDown]
    public async Task StopAsync()
    {
        await _bot.DisposeAsync();
        await _database.DisposeAsync();
    }

    private T Service<T>() where T : notnull => _bot.Services.GetRequiredService<T>();

    private static string Teams(Card card) => AdaptiveCardRenderer.Render(card).ToJsonString();

    private static string Slack(Card card) => BlockKitRenderer.Message(card).ToJsonString();

    private async Task<Card> PulseCardAsync(long runId, long personId)
    {
        var kind = _bot.Services.GetServices<IDeliveryKind>().Single(k => k.Kind == PulseRunOpener.DeliveryKind);
        var reply = await kind.RenderAsync(JsonSerializer.SerializeToElement(new { runId }), personId, CancellationToken.None);
        return reply?.Card ?? throw new AssertionException($"No pulse card for person {personId} in run {runId}.");
    }

    private async Task<long> OpenRunAsync(DateTimeOffset at)
    {
        var opening = await Service<PulseRunOpener>().OpenAsync(_survey, at, CancellationToken.None);
        Assert.That(opening.NotSentReason, Is.Null);
        return opening.RunId;
    }

    [Test]
    public async Task The_next_team_digest_says_you_said_we_are_doing_with_the_team_score_in_teams_and_slack()
    {
        var digests = await Service<DigestBuilder>().BuildAsync(_fixture.TenantId, [_fixture.Platform, _fixture.Sales], DigestFixture.At.AddDays(7), CancellationToken.None);
        var platform = DigestCards.Team(digests.Single(d => d.TeamId == _fixture.Platform), null, "Sent because: weekly digest.");
        var sales = DigestCards.Team(digests.Single(d => d.TeamId == _fixture.Sales), null, "Sent because: weekly digest.");

        foreach (var json in new[] { Teams(platform), Slack(platform) })
        {
            Assert.That(json, Does.Contain("You said: ").And.Contain("We are doing: ").And.Contain(Plan));
            Assert.That(json, Does.Contain("scored 4.00 of 5 (83.3 % favourable)"), "the team's aggregate, as the results showed it");
        }

        Assert.That(Teams(sales), Does.Not.Contain("You said"), "another team's digest says nothing of Platform's focus");
        Assert.That(digests.Single(d => d.TeamId == _fixture.Platform).Focus.Single().Followup, Is.Null, "no follow-up result before its run");
    }

    [Test]
    public async Task The_next_pulse_card_shows_the_focus_above_the_questions_and_asks_whether_it_helped_once()
    {
        var alice = _platform[0];
        var next = await OpenRunAsync(DigestFixture.At.AddDays(1));
        var card = await PulseCardAsync(next, alice);
        var focusId = await _database.ScalarAsync<long>("SELECT id FROM focus_areas");

        Assert.That(card.Body[0], Is.InstanceOf<PlainText>(), "the focus comes first, above the questions");
        Assert.That(string.Concat(((PlainText)card.Body[0]).Runs.Select(r => r.Text)), Does.StartWith("You said: “line of sight” scored 4.00 of 5"));
        var followups = card.Body.OfType<ChoiceQuestion>().Where(q => q.Id == FocusCardBlocks.InputId(focusId)).ToList();
        Assert.That(followups, Has.Count.EqualTo(1));
        Assert.That(followups[0].Required, Is.False, "the follow-up is optional");
        Assert.That(Teams(card), Does.Contain("You said: ").And.Contain($"\"id\":\"focus{focusId}\""));
        Assert.That(Slack(card), Does.Contain("You said: ").And.Contain("Did what we are doing about "));

        var lea = _fixture.Leader;
        Assert.That(Teams(await PulseCardAsync(next, lea)), Does.Not.Contain("You said"), "Sales has no focus");

        await Service<RunCloser>().CloseNowAsync(next, DigestFixture.At.AddDays(4), CancellationToken.None);
        var after = await PulseCardAsync(await OpenRunAsync(DigestFixture.At.AddDays(14)), alice);
        Assert.That(Teams(after), Does.Contain("You said: "), "the focus stays on the cards while it is active");
        Assert.That(after.Body.OfType<ChoiceQuestion>().Count(q => q.Id.StartsWith("focus", StringComparison.Ordinal)), Is.Zero, "asked once: only in the first run after it was set");
    }

    [TestCase(4)]
    [TestCase(5)]
    public async Task Did_it_help_shows_only_after_close_and_only_from_the_threshold(int answering)
    {
        var run = await OpenRunAsync(DigestFixture.At.AddDays(1));
        var focusId = await _database.ScalarAsync<long>("SELECT id FROM focus_areas");
        string[] answers = ["yes", "yes", "somewhat", "no", "yes"];
        var submit = _bot.Services.GetServices<ICardAction>().Single(a => a.Verb == PulseCards.SubmitVerb);
        var tap = _bot.Services.GetServices<ICardAction>().Single(a => a.Verb == FocusCardBlocks.FollowupVerb);
        for (var i = 0; i < answering; i++)
        {
            var person = _platform[i];
            var pulse = (await Service<PulseStore>().RunAsync(person, run, CancellationToken.None))!;
            var values = pulse.Questions.ToDictionary(q => PulseCards.InputId(q.Id), q => q.Kind == "enps" ? "8" : "4");
            values[PulseCards.RunKey] = run.ToString(System.Globalization.CultureInfo.InvariantCulture);
            // The last one answers the follow-up with a tap (Slack), the others with the whole card (Teams).
            if (i < answering - 1)
            {
                values[FocusCardBlocks.InputId(focusId)] = answers[i];
            }

            var card = await submit.HandleAsync(Turn(person), Submission(PulseCards.SubmitVerb, values), CancellationToken.None);
            Assert.That(card.Title, Is.EqualTo("Thanks — recorded."));
            if (i == answering - 1)
            {
                await tap.HandleAsync(Turn(person), Submission(FocusCardBlocks.FollowupVerb, new()
                {
                    [PulseCards.RunKey] = run.ToString(System.Globalization.CultureInfo.InvariantCulture),
                    [FocusCardBlocks.FocusKey] = focusId.ToString(System.Globalization.CultureInfo.InvariantCulture),
                    [FocusCardBlocks.InputId(focusId)] = answers[i],
                }), CancellationToken.None);
            }
        }

        Assert.That(await _database.ScalarAsync<long>("SELECT count(*) FROM focus_followups"), Is.EqualTo(answering));
        Assert.That((await FocusAsync(DigestFixture.At.AddDays(2))).Followup, Is.Null, "nothing while the run is open");

        await Service<RunCloser>().CloseNowAsync(run, DigestFixture.At.AddDays(4), CancellationToken.None);
        await Service<AnsweredMarker>().MarkAsync(CancellationToken.None);
        var focus = await FocusAsync(DigestFixture.At.AddDays(5));
        var digest = Teams(DigestCards.Team((await Service<DigestBuilder>().BuildAsync(_fixture.TenantId, [_fixture.Platform], DigestFixture.At.AddDays(5), CancellationToken.None))[0], null, "weekly"));

        Assert.That(await _database.ScalarAsync<bool>("SELECT bool_and(shuffled) FROM focus_followups"), Is.True, "rewritten with the run's answers");
        if (answering < 5)
        {
            Assert.That((focus.Followup!.Answers, focus.Followup.Yes), Is.EqualTo(((int?)null, (int?)null)), "no count leaves the database under the threshold");
            Assert.That(digest, Does.Contain("Fewer than 5 people answered").And.Not.Contain("Did it help? Yes"));
        }
        else
        {
            Assert.That((focus.Followup!.Yes, focus.Followup.Somewhat, focus.Followup.No, focus.Followup.Answers), Is.EqualTo(((int?)3, (int?)1, (int?)1, (int?)5)));
            Assert.That(digest, Does.Contain("Did it help? Yes 3"));
        }
    }

    [Test]
    public async Task An_answer_that_is_not_yes_somewhat_or_no_is_refused_with_a_message()
    {
        var run = await OpenRunAsync(DigestFixture.At.AddDays(1));
        var focusId = await _database.ScalarAsync<long>("SELECT id FROM focus_areas");
        var person = _platform[0];
        var pulse = (await Service<PulseStore>().RunAsync(person, run, CancellationToken.None))!;
        var values = pulse.Questions.ToDictionary(q => PulseCards.InputId(q.Id), q => q.Kind == "enps" ? "8" : "4");
        values[PulseCards.RunKey] = run.ToString(System.Globalization.CultureInfo.InvariantCulture);
        values[FocusCardBlocks.InputId(focusId)] = "maybe";

        var card = await _bot.Services.GetServices<ICardAction>().Single(a => a.Verb == PulseCards.SubmitVerb)
            .HandleAsync(Turn(person), Submission(PulseCards.SubmitVerb, values), CancellationToken.None);

        Assert.That(card.Problem, Does.Contain("takes Yes, Somewhat or No"));
        Assert.That(await _database.ScalarAsync<long>("SELECT count(*) FROM focus_followups"), Is.Zero);
    }

    private async Task<FocusLine> FocusAsync(DateTimeOffset at) =>
        (await Service<DigestBuilder>().BuildAsync(_fixture.TenantId, [_fixture.Platform], at, CancellationToken.None))[0].Focus.Single();

    private Turn Turn(long person) => new(_fixture.TenantId, person, new ConversationRow(0, _fixture.TenantId, "personal", $"a:{person}", null, person, true));

    private static CardSubmission Submission(string verb, Dictionary<string, string> values) =>
        new(verb, values.ToDictionary(v => v.Key, v => JsonSerializer.SerializeToElement(v.Value)), false);
}
