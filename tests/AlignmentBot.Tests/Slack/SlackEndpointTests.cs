using System.Net;
using System.Text.Json.Nodes;
using AlignmentBot.Bot.Cards;
using AlignmentBot.Bot.Help;
using AlignmentBot.Bot.Slack;
using AlignmentBot.Bot.Slack.Blocks;
using Microsoft.Extensions.DependencyInjection;

namespace AlignmentBot.Tests.Slack;

/// <summary>
/// /slack/events, /slack/interactivity and /slack/commands through the real HTTP pipeline and database, answered
/// through the fake Slack Web API: verified before anything else, acknowledged, then handled; retries de-duplicated.
/// </summary>
public class SlackEndpointTests
{
    private SlackHarness _h = null!;

    [SetUp]
    public async Task StartAsync() => _h = await SlackHarness.StartAsync();

    [TearDown]
    public async Task StopAsync() => await _h.DisposeAsync();

    private Task<long> CountAsync(string table) => _h.Database.ScalarAsync<long>($"SELECT count(*) FROM {table}");

    [Test]
    public async Task The_url_check_gets_its_challenge_back()
    {
        var response = await _h.PostSignedAsync(SlackEventsEndpoint.Path, """{"token":"t","challenge":"3eZbrw1aBm2rZgRNFdxV2595E9CY3gmdALWMmHkvFXO7tYXAYM8P","type":"url_verification"}""");

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        var body = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
        Assert.That((string?)body["challenge"], Is.EqualTo("3eZbrw1aBm2rZgRNFdxV2595E9CY3gmdALWMmHkvFXO7tYXAYM8P"));
    }

    [TestCase("wrong secret")]
    [TestCase("stale")]
    [TestCase("future")]
    [TestCase("tampered")]
    [TestCase("unsigned")]
    public async Task A_request_that_fails_the_check_gets_401_and_nothing_is_written(string how)
    {
        var body = _h.Envelope(SlackHarness.DirectMessage("U0ALICE", "help"), "Ev0BAD").ToJsonString();
        var now = _h.Clock.GetUtcNow().ToUnixTimeSeconds();
        HttpResponseMessage response = how switch
        {
            "wrong secret" => await _h.PostSignedAsync(SlackEventsEndpoint.Path, body, secret: "another-apps-signing-secret"),
            "stale" => await _h.PostSignedAsync(SlackEventsEndpoint.Path, body, timestamp: (now - 301).ToString(System.Globalization.CultureInfo.InvariantCulture)),
            "future" => await _h.PostSignedAsync(SlackEventsEndpoint.Path, body, timestamp: (now + 301).ToString(System.Globalization.CultureInfo.InvariantCulture)),
            "tampered" => await TamperedAsync(body),
            _ => await _h.Client.PostAsync(SlackEventsEndpoint.Path, new StringContent(body)),
        };

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Unauthorized));
        await _h.IdleAsync();
        Assert.Multiple(async () =>
        {
            Assert.That(await CountAsync("slack_events"), Is.Zero);
            Assert.That(await CountAsync("tenants"), Is.Zero);
            Assert.That(_h.Slack.Calls, Is.Empty);
        });
    }

    private async Task<HttpResponseMessage> TamperedAsync(string body)
    {
        // Signed for the original body, sent with one more character.
        var request = new HttpRequestMessage(HttpMethod.Post, SlackEventsEndpoint.Path) { Content = new StringContent(body.Replace("help", "helq", StringComparison.Ordinal)) };
        request.Headers.TryAddWithoutValidation(SlackSignature.TimestampHeader, _h.Now);
        request.Headers.TryAddWithoutValidation(SlackSignature.SignatureHeader, SlackSignature.Sign(SlackHarness.SigningSecret, _h.Now, System.Text.Encoding.UTF8.GetBytes(body)));
        return await _h.Client.SendAsync(request);
    }

    [Test]
    public async Task A_timestamp_within_five_minutes_either_way_is_accepted()
    {
        var now = _h.Clock.GetUtcNow().ToUnixTimeSeconds();
        foreach (var skew in new[] { -300, 300 })
        {
            var response = await _h.PostSignedAsync(SlackEventsEndpoint.Path, """{"challenge":"c","type":"url_verification"}""",
                timestamp: (now + skew).ToString(System.Globalization.CultureInfo.InvariantCulture));
            Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK), $"skew {skew} s");
        }
    }

    [Test]
    public async Task A_body_over_the_limit_is_refused_before_it_is_checked()
    {
        var response = await _h.PostSignedAsync(SlackEventsEndpoint.Path, new string('x', 300 * 1024));

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.RequestEntityTooLarge));
    }

    [Test]
    public async Task A_signed_body_that_is_not_json_is_a_bad_request()
    {
        var response = await _h.PostSignedAsync(SlackEventsEndpoint.Path, "{\"type\": ");

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest));
    }

    [Test]
    public async Task Help_in_a_direct_message_is_answered_with_the_help_card_in_that_dm()
    {
        var response = await _h.PostEventAsync(SlackHarness.DirectMessage("U0ALICE", "help"), "Ev0001");
        await _h.IdleAsync();

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        var reply = _h.Slack.Messages.Single();
        Assert.Multiple(() =>
        {
            Assert.That(reply.Channel, Is.EqualTo("D0ALICE"));
            Assert.That(reply.Text, Does.StartWith("AlignmentBot"), "the text fallback");
            Assert.That((string?)reply.Blocks![0]!["type"], Is.EqualTo("header"));
        });
        Assert.That(await _h.Database.ScalarAsync<string>("SELECT platform FROM tenants"), Is.EqualTo("slack"));
        Assert.That(await _h.Database.ScalarAsync<string>("SELECT kind FROM conversations WHERE conversation_id = 'D0ALICE'"), Is.EqualTo("personal"));
    }

    [Test]
    public async Task A_retry_of_an_event_already_handled_is_acknowledged_and_not_handled_again()
    {
        await _h.PostEventAsync(SlackHarness.DirectMessage("U0ALICE", "help"), "Ev0002");
        await _h.IdleAsync();
        var retry = await _h.PostEventAsync(SlackHarness.DirectMessage("U0ALICE", "help"), "Ev0002",
            new Dictionary<string, string> { ["X-Slack-Retry-Num"] = "1", ["X-Slack-Retry-Reason"] = "http_timeout" });
        await _h.IdleAsync();

        Assert.That(retry.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(_h.Slack.Messages, Has.Count.EqualTo(1), "one answer");
        Assert.That(await _h.Database.ScalarAsync<int>("SELECT attempts FROM slack_events WHERE event_id = 'Ev0002'"), Is.EqualTo(1));
    }

    [Test]
    public async Task A_retry_of_an_event_whose_first_attempt_never_finished_is_handled()
    {
        // The first attempt claimed the event and died before finishing (no done_at), a minute ago.
        await _h.Database.ExecuteAsync($"""
            INSERT INTO slack_events (event_id, team_id, received_at, claimed_at)
            VALUES ('Ev0003', 'T0FAKE', '{_h.Clock.GetUtcNow().AddMinutes(-1):O}', '{_h.Clock.GetUtcNow().AddMinutes(-1):O}')
            """);

        await _h.PostEventAsync(SlackHarness.DirectMessage("U0ALICE", "help"), "Ev0003", new Dictionary<string, string> { ["X-Slack-Retry-Num"] = "2" });
        await _h.IdleAsync();

        Assert.That(_h.Slack.Messages, Has.Count.EqualTo(1));
        Assert.That(await _h.Database.ScalarAsync<bool>("SELECT done_at IS NOT NULL FROM slack_events WHERE event_id = 'Ev0003'"), Is.True);
    }

    [Test]
    public async Task The_bots_own_messages_and_edits_are_ignored()
    {
        var own = SlackHarness.DirectMessage("U0ALICE", "help");
        own["bot_id"] = "B0FAKE";
        var edit = SlackHarness.DirectMessage("U0ALICE", "help");
        edit["subtype"] = "message_changed";

        await _h.PostEventAsync(own, "Ev0004");
        await _h.PostEventAsync(edit, "Ev0005");
        await _h.IdleAsync();

        Assert.That(_h.Slack.Messages, Is.Empty);
    }

    [Test]
    public async Task The_slash_command_answers_only_the_asker_in_its_response()
    {
        var response = await _h.PostSignedAsync(SlackCommandsEndpoint.Path, SlackHarness.Form(("command", "/alignment"), ("text", "help"), ("team_id", "T0FAKE"),
            ("user_id", "U0ALICE"), ("channel_id", "C0GENERAL"), ("response_url", "https://hooks.slack.com/commands/1/2/3"), ("trigger_id", "1.2.3")),
            "application/x-www-form-urlencoded");

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        var body = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
        Assert.Multiple(() =>
        {
            Assert.That((string?)body["response_type"], Is.EqualTo("ephemeral"));
            Assert.That((string?)body["blocks"]![0]!["text"]!["text"], Is.EqualTo("AlignmentBot"));
        });
        Assert.That(_h.Slack.Messages, Is.Empty, "nothing posted for everyone to see");
    }

    [Test]
    public async Task A_button_press_replaces_the_card_it_was_pressed_on()
    {
        await _h.PostEventAsync(SlackHarness.DirectMessage("U0ALICE", "help"), "Ev0006");
        await _h.IdleAsync();
        var posted = _h.Slack.Messages.Single();
        var payload = new JsonObject
        {
            ["type"] = "block_actions",
            ["team"] = new JsonObject { ["id"] = "T0FAKE" },
            ["user"] = new JsonObject { ["id"] = "U0ALICE", ["team_id"] = "T0FAKE" },
            ["container"] = new JsonObject { ["type"] = "message", ["channel_id"] = posted.Channel, ["message_ts"] = posted.Ts },
            ["actions"] = new JsonArray(new JsonObject
            {
                ["type"] = "button", ["action_id"] = "actions.0", ["block_id"] = "b",
                ["value"] = BlockKitRenderer.ButtonValue(new CardAction("What can you do?", HelpCards.ShowHelpVerb)),
            }),
        };

        var response = await _h.PostSignedAsync(SlackInteractivityEndpoint.Path, SlackHarness.Form(("payload", payload.ToJsonString())), "application/x-www-form-urlencoded");
        await _h.IdleAsync();

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        var updated = _h.Slack.Messages[^1];
        Assert.Multiple(() =>
        {
            Assert.That(updated.Ts, Is.EqualTo(posted.Ts));
            Assert.That(updated.Version, Is.EqualTo(2), "chat.update, not a new message");
            Assert.That(updated.Text, Does.StartWith("AlignmentBot"));
        });
    }

    [Test]
    public async Task After_the_app_is_uninstalled_nothing_more_is_sent_to_the_workspace()
    {
        await _h.PostEventAsync(SlackHarness.DirectMessage("U0ALICE", "help"), "Ev0007");
        await _h.IdleAsync();
        await _h.PostEventAsync(new JsonObject { ["type"] = "app_uninstalled" }, "Ev0008");
        await _h.IdleAsync();
        var tokens = _h.Bot.Services.GetRequiredService<SlackTokens>();
        var tenantId = await _h.Database.ScalarAsync<long>("SELECT id FROM tenants WHERE platform = 'slack'");

        Assert.Multiple(async () =>
        {
            Assert.That(await tokens.ForTenantAsync(tenantId, CancellationToken.None), Is.Null, "no token: nothing can be sent");
            Assert.That(await _h.Database.ScalarAsync<long>("SELECT count(*) FROM conversations WHERE reachable"), Is.Zero);
            Assert.That(await _h.Database.ScalarAsync<bool>("SELECT revoked_at IS NOT NULL FROM slack_workspaces"), Is.True);
        });
    }
}
