using System.Net;
using System.Text.Json.Nodes;
using AlignmentBot.Bot.Delivery;
using AlignmentBot.Bot.Slack;
using AlignmentBot.Bot.Turns;
using AlignmentBot.Tests.Delivery;
using Microsoft.Extensions.DependencyInjection;

namespace AlignmentBot.Tests.Slack.Install;

/// <summary>
/// app_uninstalled and tokens_revoked (bot token) delete the workspace's tokens and stop all sending there: what
/// waits in the outbox is given up with the reason, and anything enqueued later fails at once, never retried.
/// </summary>
public class SlackUninstallTests
{
    private SlackHarness _harness = null!;
    private long _tenantId;

    [SetUp]
    public async Task StartAsync()
    {
        _harness = await SlackOAuth.StartHarnessAsync();
        var oauth = new SlackOAuth(_harness);
        using (var installed = await oauth.InstallAsync())
        {
            Assert.That(installed.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        }

        oauth.Browser.Dispose();
        _tenantId = await _harness.Database.ScalarAsync<long>("SELECT tenant_id FROM slack_workspaces");
        await _harness.Database.ExecuteAsync($"""
            INSERT INTO people (tenant_id, platform_user_id, display_name) VALUES ({_tenantId}, 'U0ALICE', 'Alice'), ({_tenantId}, 'U0BOB', 'Bob');
            INSERT INTO conversations (tenant_id, kind, conversation_id, person_id)
            SELECT {_tenantId}, 'personal', 'D0ALICE', id FROM people WHERE platform_user_id = 'U0ALICE';
            """);
        // Due tomorrow by the bot's clock, so they wait in the outbox while the workspace goes.
        var people = (await _harness.Database.ScalarAsync<long[]>($"SELECT array_agg(id ORDER BY id) FROM people WHERE tenant_id = {_tenantId}"))!;
        var tomorrow = _harness.Clock.GetUtcNow().AddDays(1);
        await OutboxSeed.Outbox(_harness.Database).EnqueueAsync([.. people.Select((p, i) => OutboxSeed.Notice(_tenantId, $"waiting-{i}", tomorrow, personId: p))], CancellationToken.None);
    }

    [TearDown]
    public async Task StopAsync() => await _harness.DisposeAsync();

    private async Task RevokeAsync(JsonObject @event, string eventId)
    {
        using var response = await _harness.PostEventAsync(@event, eventId);
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        await _harness.IdleAsync();
    }

    private Task<string?> TokenAsync() => _harness.Bot.Services.GetRequiredService<SlackTokens>().ForTenantAsync(_tenantId, CancellationToken.None);

    private Task<SendResult> SendAsync() =>
        _harness.Bot.Services.GetServices<IChatTransport>().Single(t => t.Platform == SlackTransport.PlatformName)
            .SendAsync(new OutboundAddress(_tenantId, "U0BOB", null), Reply.WithText("Hello"), CancellationToken.None);

    [Test]
    public async Task App_uninstalled_deletes_the_tokens_and_gives_up_what_waits_in_the_outbox()
    {
        Assert.That(await TokenAsync(), Is.Not.Null, "installed");

        await RevokeAsync(new JsonObject { ["type"] = "app_uninstalled" }, "Ev0UNINSTALL");

        var sent = await SendAsync();
        Assert.Multiple(async () =>
        {
            Assert.That(await _harness.Database.ScalarAsync<bool>("SELECT bot_token_protected IS NULL AND refresh_token_protected IS NULL AND revoked_at IS NOT NULL FROM slack_workspaces"),
                Is.True, "the token is deleted");
            Assert.That(await TokenAsync(), Is.Null);
            Assert.That(await _harness.Database.ScalarAsync<string>("SELECT string_agg(DISTINCT status || ': ' || last_error, ',') FROM deliveries"),
                Is.EqualTo("cancelled: the Slack workspace stopped the app (app_uninstalled)"));
            Assert.That(await _harness.Database.ScalarAsync<bool>("SELECT bool_and(NOT reachable) FROM conversations"), Is.True);
            Assert.That(sent.Status, Is.EqualTo(SendStatus.Failed), "failed for good, not retried");
            Assert.That(_harness.Slack.Messages, Is.Empty);
        });
    }

    [Test]
    public async Task Tokens_revoked_for_the_bot_stops_sending_too()
    {
        await RevokeAsync(new JsonObject
        {
            ["type"] = "tokens_revoked", ["tokens"] = new JsonObject { ["bot"] = new JsonArray(_harness.Slack.BotUserId) },
        }, "Ev0REVOKEBOT");

        Assert.Multiple(async () =>
        {
            Assert.That(await TokenAsync(), Is.Null);
            Assert.That(await _harness.Database.ScalarAsync<bool>("SELECT bot_token_protected IS NULL FROM slack_workspaces"), Is.True);
            Assert.That(await _harness.Database.ScalarAsync<long>("SELECT count(*) FROM deliveries WHERE status = 'pending'"), Is.Zero);
            Assert.That((await SendAsync()).Status, Is.EqualTo(SendStatus.Failed));
        });
    }

    [Test]
    public async Task Tokens_revoked_for_users_only_leaves_the_bot_working()
    {
        await RevokeAsync(new JsonObject
        {
            ["type"] = "tokens_revoked", ["tokens"] = new JsonObject { ["oauth"] = new JsonArray("U0ALICE") },
        }, "Ev0REVOKEUSER");

        Assert.Multiple(async () =>
        {
            Assert.That(await TokenAsync(), Is.EqualTo(_harness.Slack.BotToken));
            Assert.That(await _harness.Database.ScalarAsync<long>("SELECT count(*) FROM deliveries WHERE status = 'pending'"), Is.EqualTo(2));
            Assert.That((await SendAsync()).Status, Is.EqualTo(SendStatus.Sent));
        });
    }
}
