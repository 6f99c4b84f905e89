using AlignmentBot.Bot.Slack;
using AlignmentBot.Bot.Slack.Install;
using AlignmentBot.Tests.Slack.Fakes;

namespace AlignmentBot.Tests.Slack.Install;

/// <summary>The fake's oauth.v2.access answers as Slack documents: the install shape, rotation, and its ok:false codes.</summary>
public class FakeSlackOAuthTests
{
    private FakeSlackWebApi _slack = null!;
    private HttpClient _http = null!;
    private SlackWebApi _api = null!;

    [SetUp]
    public async Task StartAsync()
    {
        _slack = await FakeSlackWebApi.StartAsync();
        _http = new HttpClient { BaseAddress = _slack.BaseAddress };
        _api = new SlackWebApi(_http, TimeProvider.System);
    }

    [TearDown]
    public async Task StopAsync()
    {
        _http.Dispose();
        await _slack.DisposeAsync();
    }

    private Task<SlackApiResult> ExchangeAsync(params (string Name, string Value)[] fields) => ExchangeAsync(_slack.ClientSecret, fields);

    private Task<SlackApiResult> ExchangeAsync(string secret, params (string Name, string Value)[] fields) =>
        _api.OAuthAccessAsync(_slack.ClientId, secret, [.. fields.Select(f => KeyValuePair.Create(f.Name, f.Value))], CancellationToken.None);

    [Test]
    public async Task A_code_gives_a_bot_install_once_and_a_rotating_one_a_refresh_token_that_is_used_up()
    {
        _slack.TokenRotation = true;
        _slack.OAuthCode = "c1";

        var install = SlackInstallation.From(await ExchangeAsync(("code", "c1")));
        var again = await ExchangeAsync(("code", "c1"));
        var refreshed = SlackInstallation.From(await ExchangeAsync(("grant_type", "refresh_token"), ("refresh_token", install!.RefreshToken!)));
        var replayed = await ExchangeAsync(("grant_type", "refresh_token"), ("refresh_token", install.RefreshToken!));

        Assert.Multiple(() =>
        {
            Assert.That(install.TeamId, Is.EqualTo(_slack.TeamId));
            Assert.That(install.BotUserId, Is.EqualTo(_slack.BotUserId));
            Assert.That(install.ExpiresIn, Is.EqualTo(TimeSpan.FromHours(12)));
            Assert.That(install.Scopes!.Split(','), Is.EqualTo(SlackScopes.Bot));
            Assert.That(again.Error, Is.EqualTo("invalid_code"), "a code works once");
            Assert.That(refreshed!.AccessToken, Is.Not.EqualTo(install.AccessToken));
            Assert.That(refreshed.RefreshToken, Is.Not.EqualTo(install.RefreshToken));
            Assert.That(replayed.Error, Is.EqualTo("invalid_refresh_token"));
        });
    }

    [Test]
    public async Task Wrong_credentials_redirects_and_grant_types_are_slacks_errors()
    {
        _slack.OAuthCode = "c1";
        _slack.ExpectedRedirectUri = "https://bot.example.com/slack/oauth/callback";

        Assert.Multiple(async () =>
        {
            Assert.That((await ExchangeAsync("wrong-secret", ("code", "c1"))).Error, Is.EqualTo("bad_client_secret"));
            Assert.That((await _api.OAuthAccessAsync("9.9", _slack.ClientSecret, [new("code", "c1")], CancellationToken.None)).Error, Is.EqualTo("invalid_client_id"));
            Assert.That((await ExchangeAsync(("code", "c1"), ("redirect_uri", "https://elsewhere.example.com/"))).Error, Is.EqualTo("bad_redirect_uri"));
            Assert.That((await ExchangeAsync(("grant_type", "password"))).Error, Is.EqualTo("invalid_grant_type"));
            Assert.That((await ExchangeAsync(("code", "c1"), ("redirect_uri", _slack.ExpectedRedirectUri))).Ok, Is.True, "the negative control");
        });
    }
}
