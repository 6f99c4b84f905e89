using AlignmentBot.Bot.Delivery;
using AlignmentBot.Bot.Slack;
using AlignmentBot.Bot.Slack.Install;
using AlignmentBot.Bot.Turns;
using AlignmentBot.Tests.Support;
using Microsoft.Extensions.DependencyInjection;

namespace AlignmentBot.Tests.Slack.Install;

/// <summary>
/// Token rotation on: the install's token expires after 12 hours (the fake's lifetime); from 10 minutes before, the
/// bot trades its refresh token for a new pair, once however many senders ask at the same moment, in one process
/// or two sharing the database. Time comes only from the fake clock.
/// </summary>
public class SlackTokenRotationTests
{
    private SlackHarness _harness = null!;
    private long _tenantId;
    private string _firstToken = null!;
    private DateTimeOffset _installedAt;

    [SetUp]
    public async Task StartAsync()
    {
        _harness = await SlackOAuth.StartHarnessAsync();
        _harness.Slack.TokenRotation = true;
        _installedAt = _harness.Clock.GetUtcNow();
        var oauth = new SlackOAuth(_harness);
        using (var installed = await oauth.InstallAsync())
        {
            Assert.That(installed.StatusCode, Is.EqualTo(System.Net.HttpStatusCode.OK));
        }

        oauth.Browser.Dispose();
        _tenantId = await _harness.Database.ScalarAsync<long>("SELECT tenant_id FROM slack_workspaces");
        _firstToken = _harness.Slack.LastIssuedToken!;
    }

    [TearDown]
    public async Task StopAsync() => await _harness.DisposeAsync();

    private Task<string?> TokenAsync(IServiceProvider? services = null) =>
        (services ?? _harness.Bot.Services).GetRequiredService<SlackTokens>().ForTenantAsync(_tenantId, CancellationToken.None);

    private TimeSpan UntilRefresh => _harness.Slack.TokenLifetime - SlackWorkspaceTokens.RefreshMargin;

    [Test]
    public async Task The_token_is_used_as_it_is_until_ten_minutes_before_it_expires()
    {
        _harness.Clock.Advance(UntilRefresh - TimeSpan.FromSeconds(1));

        Assert.Multiple(async () =>
        {
            Assert.That(await TokenAsync(), Is.EqualTo(_firstToken));
            Assert.That(_harness.Slack.Refreshes, Is.Zero);
            Assert.That(await _harness.Database.ScalarAsync<DateTime>("SELECT token_expires_at FROM slack_workspaces"),
                Is.EqualTo((_installedAt + _harness.Slack.TokenLifetime).UtcDateTime), "expires_in counted from the install");
        });
    }

    [Test]
    public async Task Ten_minutes_before_expiry_it_is_refreshed_and_the_new_pair_is_stored_encrypted()
    {
        var before = await _harness.Database.ScalarAsync<string>("SELECT bot_token_protected || refresh_token_protected FROM slack_workspaces");
        _harness.Clock.Advance(UntilRefresh);

        var token = await TokenAsync();
        var again = await TokenAsync();

        var after = await _harness.Database.ScalarAsync<string>("SELECT bot_token_protected || refresh_token_protected FROM slack_workspaces");
        Assert.Multiple(() =>
        {
            Assert.That(token, Is.Not.EqualTo(_firstToken).And.EqualTo(_harness.Slack.LastIssuedToken));
            Assert.That(again, Is.EqualTo(token), "a fresh token is not refreshed again");
            Assert.That(_harness.Slack.Refreshes, Is.EqualTo(1));
            Assert.That(after, Is.Not.EqualTo(before).And.Not.Contains("xox"), "stored, encrypted");
            var refresh = _harness.Slack.Calls.Single(c => c.Method == "oauth.v2.access" && (string?)c.Body["grant_type"] == "refresh_token");
            Assert.That((string?)refresh.Body["refresh_token"], Does.StartWith("xoxe-1-"));
        });
    }

    [Test]
    public async Task Concurrent_senders_refresh_once()
    {
        _harness.Clock.Advance(UntilRefresh + TimeSpan.FromMinutes(1));

        var tokens = await Task.WhenAll(Enumerable.Range(0, 25).Select(_ => Task.Run(() => TokenAsync())));

        Assert.Multiple(() =>
        {
            Assert.That(tokens.Distinct(), Is.EqualTo(new[] { _harness.Slack.LastIssuedToken }));
            Assert.That(_harness.Slack.Refreshes, Is.EqualTo(1), "the fake uses a refresh token up: a second refresh with the old one would fail");
        });
    }

    [Test]
    public async Task Two_instances_sharing_the_database_refresh_once_and_read_each_others_tokens()
    {
        var settings = SlackOAuth.Settings();
        settings["Slack:SigningSecret"] = SlackHarness.SigningSecret;
        settings["Slack:ApiBaseUrl"] = _harness.Slack.BaseAddress.ToString();
        await using var other = new BotFactory(_harness.Database, settings, _harness.Clock);
        Assert.That(await TokenAsync(other.Services), Is.EqualTo(_firstToken), "the other instance decrypts with the key ring in PostgreSQL");
        _harness.Clock.Advance(UntilRefresh);

        var tokens = await Task.WhenAll(Enumerable.Range(0, 20).Select(i => Task.Run(() => TokenAsync(i % 2 == 0 ? null : other.Services))));

        Assert.Multiple(() =>
        {
            Assert.That(tokens.Distinct(), Is.EqualTo(new[] { _harness.Slack.LastIssuedToken }));
            Assert.That(_harness.Slack.Refreshes, Is.EqualTo(1));
        });
    }

    [Test]
    public async Task After_the_old_token_expired_the_transport_sends_with_the_new_one()
    {
        _harness.Clock.Advance(_harness.Slack.TokenLifetime + TimeSpan.FromMinutes(1));
        var slack = _harness.Bot.Services.GetServices<IChatTransport>().Single(t => t.Platform == SlackTransport.PlatformName);
        var api = _harness.Bot.Services.GetRequiredService<SlackWebApi>();

        var expired = await api.AuthTestAsync(_firstToken, CancellationToken.None);
        var sent = await slack.SendAsync(new OutboundAddress(_tenantId, "U0ALICE", null), Reply.WithText("Hello"), CancellationToken.None);

        Assert.Multiple(() =>
        {
            Assert.That(expired.Error, Is.EqualTo("token_expired"), "the fake does refuse the old token");
            Assert.That(sent.Status, Is.EqualTo(SendStatus.Sent), sent.Error);
            Assert.That(_harness.Slack.Messages.Single().PostedTo, Is.EqualTo("U0ALICE"));
            Assert.That(_harness.Slack.Refreshes, Is.EqualTo(1));
        });
    }
}
