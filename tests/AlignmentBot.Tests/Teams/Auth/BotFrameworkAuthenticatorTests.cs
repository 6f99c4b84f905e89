using AlignmentBot.Bot.Teams;
using AlignmentBot.Bot.Teams.Auth;
using AlignmentBot.Bot.Teams.Connector;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

namespace AlignmentBot.Tests.Teams.Auth;

/// <summary>The inbound authenticator on its own, against a fake Bot Framework identity and a fake clock.</summary>
public class BotFrameworkAuthenticatorTests
{
    private const string AppId = "c9e8c047-2a74-40a2-b28a-b162d5f5327c";
    private const string ServiceUrl = "https://smba.trafficmanager.net/emea/";

    private FakeBotFrameworkIdentity _identity = null!;
    private FakeTimeProvider _clock = null!;
    private ServiceProvider _services = null!;
    private BotFrameworkAuthenticator _authenticator = null!;

    [SetUp]
    public async Task StartAsync()
    {
        _identity = await FakeBotFrameworkIdentity.StartAsync();
        _clock = new FakeTimeProvider(new DateTimeOffset(2026, 11, 24, 9, 0, 0, TimeSpan.Zero));
        _services = new ServiceCollection().AddHttpClient().BuildServiceProvider();
        var options = Options.Create(new TeamsOptions { AppId = AppId, AppPassword = "x", TenantId = "t", OpenIdMetadataUrl = _identity.MetadataUrl });
        _authenticator = new BotFrameworkAuthenticator(options, new ServiceUrlAllowList(options), _services.GetRequiredService<IHttpClientFactory>(), _clock);
    }

    [TearDown]
    public async Task StopAsync()
    {
        _authenticator.Dispose();
        await _services.DisposeAsync();
        await _identity.DisposeAsync();
    }

    private async Task<AuthenticationOutcome> AuthenticateAsync(string? header, string channelId = "msteams", string serviceUrl = ServiceUrl)
    {
        var token = await _authenticator.ValidateTokenAsync(header, CancellationToken.None);
        return token.Succeeded ? _authenticator.ValidateActivity(token, channelId, serviceUrl) : AuthenticationOutcome.Fail(token.FailureReason!);
    }

    private static string Bearer(string token) => "Bearer " + token;

    [Test]
    public async Task A_valid_channel_token_is_accepted()
    {
        var outcome = await AuthenticateAsync(Bearer(_identity.IssueToken(AppId, ServiceUrl, _clock.GetUtcNow())));

        Assert.That(outcome.Succeeded, Is.True, outcome.FailureReason);
    }

    [Test]
    public async Task A_trailing_slash_or_case_difference_in_the_service_url_does_not_matter()
    {
        var outcome = await AuthenticateAsync(Bearer(_identity.IssueToken(AppId, "https://SMBA.trafficmanager.net/emea", _clock.GetUtcNow())));

        Assert.That(outcome.Succeeded, Is.True, outcome.FailureReason);
    }

    [Test]
    public async Task A_token_from_another_issuer_is_refused()
    {
        var outcome = await AuthenticateAsync(Bearer(_identity.IssueToken(AppId, ServiceUrl, _clock.GetUtcNow(), issuer: "https://sts.example.com/")));

        Assert.That(outcome.FailureReason, Does.Contain("InvalidIssuer"));
    }

    [Test]
    public async Task A_token_for_another_bot_is_refused()
    {
        var outcome = await AuthenticateAsync(Bearer(_identity.IssueToken(Guid.NewGuid().ToString(), ServiceUrl, _clock.GetUtcNow())));

        Assert.That(outcome.FailureReason, Does.Contain("InvalidAudience"));
    }

    [Test]
    public async Task A_token_expired_within_the_five_minute_skew_is_accepted_and_beyond_it_refused()
    {
        var token = Bearer(_identity.IssueToken(AppId, ServiceUrl, _clock.GetUtcNow(), lifetime: TimeSpan.FromMinutes(10)));

        _clock.Advance(TimeSpan.FromMinutes(14));
        Assert.That((await AuthenticateAsync(token)).Succeeded, Is.True, "4 minutes past expiry is within the skew");

        _clock.Advance(TimeSpan.FromMinutes(2));
        Assert.That((await AuthenticateAsync(token)).FailureReason, Does.Contain("Lifetime"));
    }

    [Test]
    public async Task A_token_not_yet_valid_beyond_the_skew_is_refused()
    {
        var now = _clock.GetUtcNow();

        var outcome = await AuthenticateAsync(Bearer(_identity.IssueToken(AppId, ServiceUrl, now, notBefore: now.AddMinutes(10))));

        Assert.That(outcome.FailureReason, Does.Contain("Lifetime"));
    }

    [Test]
    public async Task A_token_signed_by_an_unpublished_key_is_refused_after_one_metadata_refresh()
    {
        var outcome = await AuthenticateAsync(Bearer(_identity.IssueToken(AppId, ServiceUrl, _clock.GetUtcNow(), key: FakeBotFrameworkIdentity.NewKey())));

        Assert.That(outcome.FailureReason, Does.Contain("is not published"));
    }

    [Test]
    public async Task A_tampered_signature_is_refused()
    {
        var outcome = await AuthenticateAsync(Bearer(FakeBotFrameworkIdentity.Tamper(_identity.IssueToken(AppId, ServiceUrl, _clock.GetUtcNow()))));

        Assert.That(outcome.Succeeded, Is.False);
        Assert.That(outcome.FailureReason, Does.Contain("Signature").Or.Contain("not a JWT"));
    }

    [Test]
    public async Task An_unsigned_alg_none_token_is_refused()
    {
        var outcome = await AuthenticateAsync(Bearer(FakeBotFrameworkIdentity.UnsignedToken(AppId, ServiceUrl, _clock.GetUtcNow())));

        Assert.That(outcome.Succeeded, Is.False);
    }

    [Test]
    public async Task A_key_not_endorsed_for_msteams_is_refused()
    {
        var skypeOnly = _identity.Publish("skype");

        var outcome = await AuthenticateAsync(Bearer(_identity.IssueToken(AppId, ServiceUrl, _clock.GetUtcNow(), key: skypeOnly)));

        Assert.That(outcome.FailureReason, Does.Contain("not endorsed for channel \"msteams\""));
    }

    [Test]
    public async Task A_service_url_claim_that_differs_from_the_activity_is_refused()
    {
        var outcome = await AuthenticateAsync(Bearer(_identity.IssueToken(AppId, "https://smba.trafficmanager.net/amer/", _clock.GetUtcNow())));

        Assert.That(outcome.FailureReason, Does.Contain("serviceurl claim"));
    }

    [Test]
    public async Task A_service_url_on_a_host_we_do_not_trust_is_refused_even_with_a_matching_claim()
    {
        const string evil = "https://smba.trafficmanager.net.evil.example/emea/";

        var outcome = await AuthenticateAsync(Bearer(_identity.IssueToken(AppId, evil, _clock.GetUtcNow())), serviceUrl: evil);

        Assert.That(outcome.FailureReason, Does.Contain("serviceUrl not allowed"));
    }

    [TestCase(null)]
    [TestCase("")]
    [TestCase("Basic dXNlcjpwYXNz")]
    [TestCase("Bearer")]
    [TestCase("Bearer ")]
    [TestCase("Bearer not-a-jwt")]
    [TestCase("bearer eyJhbGciOiJSUzI1NiJ9.e30.c2ln")]
    public async Task A_malformed_authorization_header_is_refused(string? header)
    {
        var outcome = await AuthenticateAsync(header);

        Assert.That(outcome.Succeeded, Is.False);
    }

    [Test]
    public async Task Metadata_is_cached_and_a_key_rotated_in_later_is_picked_up()
    {
        await AuthenticateAsync(Bearer(_identity.IssueToken(AppId, ServiceUrl, _clock.GetUtcNow())));
        await AuthenticateAsync(Bearer(_identity.IssueToken(AppId, ServiceUrl, _clock.GetUtcNow())));
        Assert.That(_identity.MetadataRequests, Is.EqualTo(1), "not fetched per request");

        var rotated = _identity.Publish("msteams");
        var outcome = await AuthenticateAsync(Bearer(_identity.IssueToken(AppId, ServiceUrl, _clock.GetUtcNow(), key: rotated)));

        Assert.That(outcome.Succeeded, Is.True, outcome.FailureReason);
        Assert.That(_identity.MetadataRequests, Is.EqualTo(2), "one refresh for the unknown kid");
    }

    [Test]
    public async Task Many_concurrent_tokens_with_unknown_kids_cause_one_metadata_fetch_and_no_more_for_five_minutes()
    {
        await AuthenticateAsync(Bearer(_identity.IssueToken(AppId, ServiceUrl, _clock.GetUtcNow())));
        Assert.That(_identity.MetadataRequests, Is.EqualTo(1));

        // Forged tokens naming keys nobody published, all at once: each would force a refresh.
        var forged = Enumerable.Range(0, 50).Select(_ => Bearer(_identity.IssueToken(AppId, ServiceUrl, _clock.GetUtcNow(), key: FakeBotFrameworkIdentity.NewKey()))).ToList();
        var outcomes = await Task.WhenAll(forged.Select(token => Task.Run(() => AuthenticateAsync(token))));

        Assert.That(outcomes.Select(o => o.Succeeded), Is.All.False);
        Assert.That(_identity.MetadataRequests, Is.EqualTo(2), "one forced refresh, shared by every request that waited for it");

        _clock.Advance(TimeSpan.FromMinutes(4));
        await Task.WhenAll(forged.Take(10).Select(token => AuthenticateAsync(token)));
        Assert.That(_identity.MetadataRequests, Is.EqualTo(2), "not forced again within five minutes");

        _clock.Advance(TimeSpan.FromMinutes(1));
        await Task.WhenAll(forged.Take(10).Select(token => AuthenticateAsync(token)));
        Assert.That(_identity.MetadataRequests, Is.EqualTo(3), "after five minutes, one more");
    }

    [Test]
    public async Task Concurrent_first_requests_share_one_metadata_fetch()
    {
        var tokens = Enumerable.Range(0, 20).Select(i => Bearer(_identity.IssueToken(AppId, ServiceUrl, _clock.GetUtcNow().AddSeconds(-i)))).ToList();

        var outcomes = await Task.WhenAll(tokens.Select(token => Task.Run(() => AuthenticateAsync(token))));

        Assert.That(outcomes.Select(o => o.Succeeded), Is.All.True);
        Assert.That(_identity.MetadataRequests, Is.EqualTo(1));
    }
}
