using System.Net;
using System.Net.Http.Headers;
using System.Text;
using AlignmentBot.Bot.Teams.Connector;
using AlignmentBot.Tests.Support;
using AlignmentBot.Tests.Teams.Fakes;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;

namespace AlignmentBot.Tests.Teams.Auth;

/// <summary>
/// POST /api/messages with authentication on (an AppId configured): only a valid Bot Framework token
/// gets through; every bad one is a 401 with an empty body and nothing is written to the database.
/// </summary>
public class AuthenticatedEndpointTests
{
    private const string AppId = "c9e8c047-2a74-40a2-b28a-b162d5f5327c";
    private const string OutboundToken = "outbound-token-for-the-connector";

    private TestDatabase _database = null!;
    private FakeBotFrameworkIdentity _identity = null!;
    private FakeBotConnector _connector = null!;
    private BotFactory _bot = null!;
    private HttpClient _client = null!;

    [SetUp]
    public async Task StartAsync()
    {
        _database = await TestDatabase.CreateAsync();
        _identity = await FakeBotFrameworkIdentity.StartAsync();
        _connector = await FakeBotConnector.StartAsync();
        _connector.RequiredToken = OutboundToken;
        _bot = new BotFactory(_database, new Dictionary<string, string?>
        {
            ["Teams:AppId"] = AppId,
            ["Teams:AppPassword"] = "client-secret",
            ["Teams:TenantId"] = "72f988bf-86f1-41af-91ab-2d7cd011db47",
            ["Teams:OpenIdMetadataUrl"] = _identity.MetadataUrl,
            ["Teams:AllowedServiceUrlHosts:0"] = "127.0.0.1",
        });
        _client = _bot.WithWebHostBuilder(web => web.ConfigureTestServices(services =>
            services.AddSingleton<IBotTokenProvider>(new StaticToken()))).CreateClient();
    }

    [TearDown]
    public async Task StopAsync()
    {
        _client.Dispose();
        await _bot.DisposeAsync();
        await _connector.DisposeAsync();
        await _identity.DisposeAsync();
        await _database.DisposeAsync();
    }

    private async Task<HttpResponseMessage> PostAsync(string? authorization, string? serviceUrl = null)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, "/api/messages")
        {
            Content = new StringContent(TeamsPayloads.Json("personal-message", serviceUrl ?? _connector.ServiceUrl), Encoding.UTF8, "application/json"),
        };
        if (authorization is not null)
        {
            request.Headers.TryAddWithoutValidation("Authorization", authorization);
        }

        return await _client.SendAsync(request);
    }

    private string Token(Func<FakeBotFrameworkIdentity, DateTimeOffset, string, string> issue) =>
        "Bearer " + issue(_identity, TimeProvider.System.GetUtcNow(), _connector.ServiceUrl);

    [Test]
    public async Task A_valid_token_is_accepted_and_the_reply_carries_the_bots_own_token()
    {
        var response = await PostAsync(Token((id, now, url) => id.IssueToken(AppId, url, now)));

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(await _database.ScalarAsync<long>("SELECT count(*) FROM conversations"), Is.EqualTo(1));
        Assert.That(_connector.Requests.Single().Authorization, Is.EqualTo($"Bearer {OutboundToken}"));
    }

    public static IEnumerable<TestCaseData> BadTokens()
    {
        yield return Case("wrong issuer", (id, now, url) => id.IssueToken(AppId, url, now, issuer: "https://sts.example.com/"));
        yield return Case("wrong audience", (id, now, url) => id.IssueToken(Guid.NewGuid().ToString(), url, now));
        yield return Case("expired beyond the skew", (id, now, url) => id.IssueToken(AppId, url, now.AddHours(-2), lifetime: TimeSpan.FromMinutes(30)));
        yield return Case("not yet valid", (id, now, url) => id.IssueToken(AppId, url, now, notBefore: now.AddMinutes(30)));
        yield return Case("unknown key", (id, now, url) => id.IssueToken(AppId, url, now, key: FakeBotFrameworkIdentity.NewKey()));
        yield return Case("tampered signature", (id, now, url) => FakeBotFrameworkIdentity.Tamper(id.IssueToken(AppId, url, now)));
        yield return Case("alg none", (id, now, url) => FakeBotFrameworkIdentity.UnsignedToken(AppId, url, now));
        yield return Case("no msteams endorsement", (id, now, url) => id.IssueToken(AppId, url, now, key: id.Publish("skype")));
        yield return Case("serviceurl mismatch", (id, now, url) => id.IssueToken(AppId, "https://smba.trafficmanager.net/amer/", now));

        static TestCaseData Case(string name, Func<FakeBotFrameworkIdentity, DateTimeOffset, string, string> issue) =>
            new TestCaseData(issue).SetArgDisplayNames(name);
    }

    [TestCaseSource(nameof(BadTokens))]
    public async Task A_bad_token_is_a_401_with_an_empty_body_and_no_database_write(Func<FakeBotFrameworkIdentity, DateTimeOffset, string, string> issue)
    {
        var response = await PostAsync(Token(issue));

        await AssertRefusedAsync(response);
    }

    [Test]
    public async Task A_service_url_that_is_not_allow_listed_is_refused_even_with_a_matching_claim()
    {
        const string untrusted = "https://bots.example.net/teams/";

        var response = await PostAsync("Bearer " + _identity.IssueToken(AppId, untrusted, TimeProvider.System.GetUtcNow()), untrusted);

        await AssertRefusedAsync(response);
    }

    [TestCase(null)]
    [TestCase("Basic dXNlcjpwYXNz")]
    [TestCase("Bearer garbage")]
    [TestCase("Bearer ")]
    public async Task A_malformed_authorization_header_is_a_401(string? header)
    {
        var response = await PostAsync(header);

        await AssertRefusedAsync(response);
    }

    [Test]
    public async Task Malformed_json_without_a_token_is_a_401_not_a_400()
    {
        var response = await _client.PostAsync("/api/messages", new StringContent("{oops", Encoding.UTF8, "application/json"));

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Unauthorized), "nothing about the body is revealed to an unauthenticated caller");
    }

    [Test]
    public async Task Malformed_json_with_a_valid_token_is_a_400()
    {
        var request = new HttpRequestMessage(HttpMethod.Post, "/api/messages") { Content = new StringContent("{oops", Encoding.UTF8, "application/json") };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", _identity.IssueToken(AppId, _connector.ServiceUrl, TimeProvider.System.GetUtcNow()));

        var response = await _client.SendAsync(request);

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest));
    }

    private async Task AssertRefusedAsync(HttpResponseMessage response)
    {
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Unauthorized));
        Assert.That(await response.Content.ReadAsStringAsync(), Is.Empty);
        Assert.That(await _database.ScalarAsync<long>("SELECT (SELECT count(*) FROM tenants) + (SELECT count(*) FROM people) + (SELECT count(*) FROM conversations)"),
            Is.Zero, "nothing was written");
        Assert.That(_connector.RequestCount, Is.Zero, "nothing was sent");
    }

    private sealed class StaticToken : IBotTokenProvider
    {
        public bool HasCredentials => true;

        public ValueTask<string?> GetTokenAsync(CancellationToken cancellationToken) => ValueTask.FromResult<string?>(OutboundToken);
    }
}
