using System.Net;
using AlignmentBot.Bot.Slack;
using AlignmentBot.Tests.Teams.Connector;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace AlignmentBot.Tests.Slack.Install;

/// <summary>Every log line of an install, a refused callback and a token refresh, at every level: no token, refresh token or client secret in any.</summary>
public class SlackSecretsNotLoggedTests
{
    [Test]
    public async Task No_token_or_secret_is_logged_at_any_level()
    {
        await using var harness = await SlackOAuth.StartHarnessAsync();
        harness.Slack.TokenRotation = true;
        var logs = new LogCapture();
        await using var bot = harness.Bot.WithWebHostBuilder(b => b.ConfigureLogging(l => l.AddProvider(logs).AddFilter<LogCapture>(null, LogLevel.Trace)));
        var oauth = new SlackOAuth(harness, bot);

        using (var installed = await oauth.InstallAsync())
        {
            Assert.That(installed.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        }

        var first = harness.Slack.LastIssuedToken!;
        var state = await oauth.StartAsync();
        harness.Slack.OAuthCode = "code-9";
        using (var refused = await oauth.CallbackAsync(("code", "a-wrong-code"), ("state", state)))
        {
            Assert.That(refused.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest), "Slack's refusal is logged too");
        }

        harness.Clock.Advance(harness.Slack.TokenLifetime);
        var tenantId = await harness.Database.ScalarAsync<long>("SELECT tenant_id FROM slack_workspaces");
        var refreshed = await bot.Services.GetRequiredService<SlackTokens>().ForTenantAsync(tenantId, CancellationToken.None);
        oauth.Browser.Dispose();

        var text = string.Join('\n', logs.Entries.Select(e => e.Message));
        Assert.Multiple(() =>
        {
            Assert.That(refreshed, Is.Not.EqualTo(first).And.Not.Null, "the refresh happened");
            Assert.That(text, Does.Contain("installed as tenant").And.Contain("refreshed"), "the capture sees the bot's own lines (negative control)");
            Assert.That(text, Does.Not.Contain(first).And.Not.Contain(refreshed!));
            Assert.That(text, Does.Not.Contain("xoxe").And.Not.Contain("xoxb"), "no token of any kind");
            Assert.That(text, Does.Not.Contain(harness.Slack.ClientSecret));
        });
    }
}
