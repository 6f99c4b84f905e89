using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;
using AlignmentBot.Tests.Slack.Fakes;

namespace AlignmentBot.Tests.Slack;

/// <summary>
/// A pulse answered in Slack, through the signed interactivity endpoint and the same answer path as Teams: one tap per
/// question, the message replaced in place (chat.update at the channel and ts kept with the delivery), the comment in a
/// modal opened while the click is fresh, and what is refused said in words with nothing written.
/// </summary>
public class SlackPulseAnswerTests
{
    private SlackHarness _h = null!;
    private SlackClicks _clicks = null!;
    private long _runId;
    private long[] _questions = [];
    private FakeSlackMessage _pulse = null!;

    [SetUp]
    public async Task StartAsync()
    {
        _h = await SlackHarness.StartAsync(SlackSeed.Settings);
        _clicks = new SlackClicks(_h);
        var seed = await new SlackSeed(_h).TenantAsync();
        var team = await seed.TeamAsync("Platform", "C0PLATFORM");
        // Five invitees: a run is sent only to an audience whose results could ever be shown.
        foreach (var user in new[] { "U0ALICE", "U0BOB", "U0CARL", "U0DANA", "U0EVE" })
        {
            await seed.PersonAsync(team, user, "Europe/London");
        }

        (var survey, _questions) = await seed.SurveyAsync(team);
        _runId = await seed.OpenRunAsync(survey);
        var due = await _h.Database.ScalarAsync<DateTime>("SELECT max(not_before) FROM deliveries WHERE kind = 'pulse'");
        await seed.RunUntilAsync(new DateTimeOffset(DateTime.SpecifyKind(due, DateTimeKind.Utc)).AddMinutes(1));
        _pulse = _clicks.To("U0ALICE")[0];
    }

    [TearDown]
    public async Task StopAsync() => await _h.DisposeAsync();

    private Task<long> ResponsesAsync() => _h.Database.ScalarAsync<long>($"SELECT count(*) FROM responses WHERE run_id = {_runId}");

    private static string Json(FakeSlackMessage message) => message.Body.ToJsonString(new JsonSerializerOptions { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping });

    [Test]
    public async Task The_pulse_arrives_as_buttons_whose_values_carry_the_question_and_answer_but_not_the_person()
    {
        var buttons = SlackClicks.Buttons(_pulse).ToList();
        var likert = buttons.Where(b => b.BlockId == $"q{_questions[0]}").Select(b => (string?)b.Button["text"]!["text"]).ToList();
        var enpsRows = buttons.Where(b => b.BlockId.StartsWith($"q{_questions[1]}.", StringComparison.Ordinal)).GroupBy(b => b.BlockId)
            .Select(g => string.Join(",", g.Select(b => (string?)b.Button["text"]!["text"]))).ToList();
        var value = JsonDocument.Parse((string)buttons.First(b => b.BlockId == $"q{_questions[0]}").Button["value"]!).RootElement;

        Assert.Multiple(async () =>
        {
            Assert.That(likert, Is.EqualTo(new[] { "Strongly disagree", "Disagree", "Neutral", "Agree", "Strongly agree" }));
            Assert.That(enpsRows, Is.EqualTo(new[] { "0,1,2,3,4,5", "6,7,8,9,10" }), "0–10 as two rows of buttons");
            Assert.That(value.EnumerateObject().Select(p => p.Name), Is.EquivalentTo(new[] { "verb", "runId", "question", $"q{_questions[0]}" }),
                "the run, the question and the answer; who clicked is Slack's word, never the button's");
            Assert.That(buttons.Select(b => (string?)b.Button["text"]!["text"]), Has.None.EqualTo("Submit"), "every answer is a tap of its own");
            Assert.That(_pulse.Blocks!.Select(b => (string?)b!["type"]), Has.None.EqualTo("input"), "a message holds no inputs");
            Assert.That(_pulse.Text, Does.StartWith("Alignment pulse"), "a text fallback");
            Assert.That(await _h.Database.ScalarAsync<string>("SELECT d.platform_conversation_id || ' ' || d.platform_message_id FROM deliveries d JOIN people p ON p.id = d.person_id WHERE d.kind = 'pulse' AND p.platform_user_id = 'U0ALICE'"),
                Is.EqualTo($"{_pulse.Channel} {_pulse.Ts}"), "the DM's channel and ts kept with the delivery, for chat.update");
        });
    }

    [Test]
    public async Task Each_tap_is_recorded_and_the_message_says_recorded_without_showing_the_answer()
    {
        using var first = await _clicks.ClickAsync("U0ALICE", _pulse, "Agree");
        await _h.IdleAsync();
        var afterOne = _clicks.Latest(_pulse);
        using var second = await _clicks.ClickAsync("U0ALICE", _pulse, "9");
        await _h.IdleAsync();
        var afterTwo = _clicks.Latest(_pulse);

        Assert.Multiple(async () =>
        {
            Assert.That(first.StatusCode, Is.EqualTo(HttpStatusCode.OK));
            Assert.That(await _h.Database.ScalarAsync<string>($"SELECT string_agg(value_number::int::text, ',' ORDER BY question_id) FROM responses WHERE run_id = {_runId}"),
                Is.EqualTo("4,9"));
            Assert.That(afterOne.Version, Is.EqualTo(2), "chat.update of the message tapped, not a new message");
            Assert.That(Json(afterOne), Does.Contain("Answered — tap another to change it."));
            Assert.That(SlackClicks.Buttons(afterOne).Select(b => b.Button["style"]), Has.All.Null, "no button marks which answer was chosen");
            Assert.That(afterTwo.Version, Is.EqualTo(3));
            Assert.That(afterTwo.Text, Is.EqualTo("Thanks — recorded."), "every required question answered");
            Assert.That(Json(afterTwo), Does.Not.Contain("Agree"), "the answers are not repeated");
            Assert.That(SlackClicks.Buttons(afterTwo).Select(b => b.BlockId), Has.None.StartWith($"q{_questions[0]}").And.None.StartWith($"q{_questions[1]}"));
            Assert.That(SlackClicks.Buttons(afterTwo).Select(b => (string?)b.Button["text"]!["text"]), Is.EquivalentTo(new[] { "Add a comment", "Edit my answers" }));
            Assert.That(await _h.Database.ScalarAsync<bool>($"SELECT answered FROM invitations WHERE run_id = {_runId}"), Is.False,
                "who answered is flagged later, in batches, never by the answer itself");
        });
    }

    [Test]
    public async Task An_answer_out_of_range_is_refused_in_words_and_nothing_is_written()
    {
        var forged = $$"""{"verb":"pulse.answer","runId":"{{_runId}}","question":"{{_questions[1]}}","q{{_questions[1]}}":"11"}""";

        using var response = await _clicks.ClickAsync("U0ALICE", _pulse, "10", forgedValue: forged);
        await _h.IdleAsync();

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(await ResponsesAsync(), Is.Zero);
        Assert.That(Json(_clicks.Latest(_pulse)), Does.Contain("takes a whole number from 0 to 10; “11” is not one."));
    }

    [Test]
    public async Task The_comment_modal_opens_before_the_click_is_answered_and_the_comment_is_kept_apart_from_its_author()
    {
        using var click = await _clicks.ClickAsync("U0ALICE", _pulse, "Add a comment");
        // No waiting for background work: views.open went out within the request, while the trigger id was fresh.
        var opened = _h.Slack.Views.Single();
        using var submit = await _clicks.SubmitAsync("U0ALICE", new Dictionary<string, string> { [$"q{_questions[2]}"] = "More focus, fewer priorities." });
        var answer = await SlackClicks.AnswerAsync(submit);
        await _h.IdleAsync();

        Assert.Multiple(async () =>
        {
            Assert.That(click.StatusCode, Is.EqualTo(HttpStatusCode.OK));
            Assert.That((string?)opened["title"]!["text"], Is.EqualTo("Add a comment"));
            Assert.That(((JsonArray)opened["blocks"]!).Select(b => (string?)b!["element"]?["type"]), Has.Member("plain_text_input"));
            Assert.That(_h.Slack.Calls.Single(c => c.Method == "views.open").Body["trigger_id"]?.ToString(), Does.EndWith(".fake"));
            Assert.That(submit.StatusCode, Is.EqualTo(HttpStatusCode.OK));
            Assert.That(answer, Is.Null, "an empty 200 closes the modal");
            Assert.That(await _h.Database.ScalarAsync<string>($"SELECT value_text FROM responses WHERE run_id = {_runId}"), Is.EqualTo("More focus, fewer priorities."));
            Assert.That(await _h.Database.ScalarAsync<long>("""
                SELECT count(*) FROM information_schema.columns WHERE table_name = 'responses' AND (column_name LIKE '%person%' OR column_name LIKE '%user%' OR column_name LIKE '%_at')
                """), Is.Zero, "a comment is stored with a respondent key only: no person, no time");
            Assert.That(Json(_clicks.Latest(_pulse)), Does.Contain("Your comment is recorded.").And.Not.Contain("More focus"));
        });
    }

    [Test]
    public async Task A_comment_too_long_comes_back_as_an_error_on_its_input_and_nothing_is_written()
    {
        using var click = await _clicks.ClickAsync("U0ALICE", _pulse, "Add a comment");
        using var submit = await _clicks.SubmitAsync("U0ALICE", new Dictionary<string, string> { [$"q{_questions[2]}"] = new string('x', 1001) });
        var answer = await SlackClicks.AnswerAsync(submit);

        Assert.That(answer, Is.Not.Null);
        Assert.That(answer!.Value.GetProperty("response_action").GetString(), Is.EqualTo("errors"));
        Assert.That(answer.Value.GetProperty("errors").GetProperty($"q{_questions[2]}").GetString(), Is.EqualTo("Your comment is 1001 characters; please keep it to 1000."));
        Assert.That(await ResponsesAsync(), Is.Zero);
    }

    [Test]
    public async Task A_click_after_the_trigger_expired_opens_nothing_and_a_forged_click_is_refused()
    {
        _h.Slack.TriggerLifetime = TimeSpan.Zero;
        using var late = await _clicks.ClickAsync("U0ALICE", _pulse, "Add a comment");
        using var unsigned = await _h.PostSignedAsync(Bot.Slack.SlackInteractivityEndpoint.Path, "payload=%7B%7D", "application/x-www-form-urlencoded", secret: "wrong-secret");

        Assert.That(_h.Slack.Views, Is.Empty, "the fake refuses an expired trigger, as Slack does");
        Assert.That(unsigned.StatusCode, Is.EqualTo(HttpStatusCode.Unauthorized));
        Assert.That(await ResponsesAsync(), Is.Zero);
    }
}
