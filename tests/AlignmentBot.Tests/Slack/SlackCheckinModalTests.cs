using System.Net;

namespace AlignmentBot.Tests.Slack;

/// <summary>
/// A check-in from Slack: the key result's "Check in" opens a modal (value, confidence, blocker); what the check-in refuses
/// comes back in the HTTP response as errors on the input concerned, nothing written; a valid one is recorded, the modal
/// closes and the message becomes "Checked in".
/// </summary>
public class SlackCheckinModalTests
{
    private SlackHarness _h = null!;
    private SlackClicks _clicks = null!;
    private long _keyResult;

    [SetUp]
    public async Task StartAsync()
    {
        _h = await SlackHarness.StartAsync(SlackSeed.Settings);
        _clicks = new SlackClicks(_h);
        var seed = await new SlackSeed(_h).TenantAsync();
        var team = await seed.TeamAsync("Platform", "C0PLATFORM");
        var ana = await seed.PersonAsync(team, "U0ANA", "Europe/London");
        _keyResult = await seed.KeyResultAsync(team, ana, "Activation", _h.Clock.GetUtcNow().AddDays(-20));
    }

    [TearDown]
    public async Task StopAsync() => await _h.DisposeAsync();

    private Task<long> CheckinsAsync() => _h.Database.ScalarAsync<long>($"SELECT count(*) FROM checkins WHERE key_result_id = {_keyResult}");

    /// <summary>"okrs" in the DM, then "Check in (overdue)": the check-in card, whose "Check in" opens the modal.</summary>
    private async Task<Fakes.FakeSlackMessage> CheckInCardAsync()
    {
        await _h.PostEventAsync(SlackHarness.DirectMessage("U0ANA", "okrs"), "Ev1");
        await _h.IdleAsync();
        var list = _h.Slack.Messages.Single(m => m.Channel == "D0ANA");
        using var open = await _clicks.ClickAsync("U0ANA", list, "Check in (overdue)");
        await _h.IdleAsync();
        return _clicks.Latest(list);
    }

    [Test]
    public async Task Check_in_opens_a_modal_with_value_confidence_and_blocker_and_a_valid_one_is_recorded_and_the_modal_closed()
    {
        var card = await CheckInCardAsync();
        using var click = await _clicks.ClickAsync("U0ANA", card, "Check in");
        var modal = _h.Slack.Views.Single();
        using var submit = await _clicks.SubmitAsync("U0ANA", new Dictionary<string, string> { ["value"] = "40", ["confidence"] = "7", ["blocker"] = "waiting on legal" });
        var answer = await SlackClicks.AnswerAsync(submit);
        await _h.IdleAsync();

        Assert.Multiple(async () =>
        {
            Assert.That(card.Blocks!.Select(b => (string?)b!["type"]), Has.None.EqualTo("input"), "the inputs are in the modal, not the message");
            Assert.That(((System.Text.Json.Nodes.JsonArray)modal["blocks"]!).Select(b => (string?)b!["block_id"]).Where(id => id is not null),
                Is.EqualTo(new[] { "value", "confidence", "blocker" }));
            Assert.That((string?)modal["submit"]!["text"], Is.EqualTo("Check in"));
            Assert.That(answer, Is.Null, "an empty 200 closes the modal");
            Assert.That(await _h.Database.ScalarAsync<string>($"SELECT value::int || ' ' || confidence || ' ' || blocker FROM checkins WHERE key_result_id = {_keyResult}"),
                Is.EqualTo("40 7 waiting on legal"));
            Assert.That(_clicks.Latest(card).Text, Is.EqualTo("Checked in — thanks."), "the message it was opened from, updated in place");
        });
    }

    [TestCase("abc", "7", "value", "“abc” is not a number. Enter the current value in digits, e.g. 42 or 12.5.")]
    [TestCase("140", "7", "value", "A percentage is from 0 to 100; you entered 140.")]
    [TestCase("40", "12", "confidence", "Confidence is a whole number from 0 (no chance) to 10 (certain); “12” is not.")]
    public async Task An_invalid_check_in_is_answered_with_errors_on_its_input_and_nothing_is_written(string value, string confidence, string input, string message)
    {
        var card = await CheckInCardAsync();
        using var click = await _clicks.ClickAsync("U0ANA", card, "Check in");
        using var submit = await _clicks.SubmitAsync("U0ANA", new Dictionary<string, string> { ["value"] = value, ["confidence"] = confidence });
        var answer = await SlackClicks.AnswerAsync(submit);

        Assert.That(submit.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(answer, Is.Not.Null, "errors come in the response, within Slack's 3 seconds");
        Assert.That(answer!.Value.GetProperty("response_action").GetString(), Is.EqualTo("errors"));
        Assert.That(answer.Value.GetProperty("errors").EnumerateObject().Select(e => (e.Name, e.Value.GetString())), Is.EqualTo(new[] { (input, message) }));
        Assert.That(await CheckinsAsync(), Is.Zero);
    }
}
