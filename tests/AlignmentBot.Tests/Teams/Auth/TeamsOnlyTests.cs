using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using AlignmentBot.Bot.Teams.Connector;
using AlignmentBot.Tests.Support;
using AlignmentBot.Tests.Teams.Fakes;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;

namespace AlignmentBot.Tests.Teams.Auth;

/// <summary>
/// An attacker with a token the Bot Framework really signed, but for another channel (Web Chat and Direct Line
/// clients choose their own from.id) or from another tenant, tries to act as one of our people. Each attempt is
/// refused before a row is written.
/// </summary>
public class TeamsOnlyTests
{
    private const string AppId = "c9e8c047-2a74-40a2-b28a-b162d5f5327c";
    private const string OurTenant = "72f988bf-86f1-41af-91ab-2d7cd011db47";
    private const string SecondTenant = "5b0f7a5c-3f55-4a0c-9d1a-0e6f7e2c1b11";
    private const string OtherTenant = "0d5a4b3c-2e1f-4a6b-8c7d-9e0f1a2b3c4d";

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
        _bot = new BotFactory(_database, new Dictionary<string, string?>
        {
            ["Teams:AppId"] = AppId,
            ["Teams:AppPassword"] = "client-secret",
            ["Teams:TenantId"] = "botframework.com",
            ["Teams:AllowedTenants:0"] = OurTenant,
            ["Teams:AllowedTenants:1"] = SecondTenant,
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

    [TestCase(OurTenant)]
    [TestCase(SecondTenant)]
    public async Task A_teams_activity_from_a_served_tenant_is_answered(string tenant)
    {
        var response = await PostAsync(Activity(tenant, tenant), _identity.SigningKey);

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK), "the negative control: the same request with our tenant gets through");
        Assert.That(await AppRows.CountAsync(_database), Is.GreaterThan(0));
    }

    [TestCase("webchat")]
    [TestCase("directline")]
    public async Task A_token_for_another_channel_with_that_channels_activity_is_refused(string channel)
    {
        var activity = Activity(OurTenant, OurTenant);
        activity["channelId"] = channel;

        var response = await PostAsync(activity, _identity.Publish(channel));

        await AssertRefusedAsync(response, HttpStatusCode.Forbidden);
    }

    [TestCase("webchat")]
    [TestCase("directline")]
    public async Task A_token_for_another_channel_claiming_to_be_teams_is_refused(string channel)
    {
        var response = await PostAsync(Activity(OurTenant, OurTenant), _identity.Publish(channel));

        await AssertRefusedAsync(response, HttpStatusCode.Unauthorized);
    }

    [TestCase(OtherTenant, OtherTenant, TestName = "Another tenant is refused")]
    [TestCase(null, null, TestName = "No tenant at all is refused")]
    [TestCase(OurTenant, OtherTenant, TestName = "Channel data naming another tenant is refused")]
    [TestCase(OtherTenant, OurTenant, TestName = "A conversation in another tenant is refused")]
    [TestCase(OurTenant, SecondTenant, TestName = "Two served tenants that disagree are refused")]
    public async Task A_teams_token_for_an_activity_outside_our_tenants_is_refused(string? conversationTenant, string? channelDataTenant)
    {
        var response = await PostAsync(Activity(conversationTenant, channelDataTenant), _identity.SigningKey);

        await AssertRefusedAsync(response, HttpStatusCode.Forbidden);
    }

    [Test]
    public async Task A_tenant_that_differs_only_by_trailing_text_is_refused()
    {
        var response = await PostAsync(Activity(OurTenant + "x", OurTenant + "x"), _identity.SigningKey);

        await AssertRefusedAsync(response, HttpStatusCode.Forbidden);
    }

    private JsonObject Activity(string? conversationTenant, string? channelDataTenant)
    {
        var activity = JsonNode.Parse(TeamsPayloads.Json("personal-message", _connector.ServiceUrl))!.AsObject();
        var conversation = activity["conversation"]!.AsObject();
        var channelData = activity["channelData"]!.AsObject();
        conversation.Remove("tenantId");
        channelData.Remove("tenant");
        if (conversationTenant is not null)
        {
            conversation["tenantId"] = conversationTenant;
        }

        if (channelDataTenant is not null)
        {
            channelData["tenant"] = new JsonObject { ["id"] = channelDataTenant };
        }

        return activity;
    }

    private async Task<HttpResponseMessage> PostAsync(JsonObject activity, Microsoft.IdentityModel.Tokens.RsaSecurityKey key)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, "/api/messages")
        {
            Content = new StringContent(activity.ToJsonString(), Encoding.UTF8, "application/json"),
        };
        request.Headers.TryAddWithoutValidation("Authorization", "Bearer " + _identity.IssueToken(AppId, _connector.ServiceUrl, TimeProvider.System.GetUtcNow(), key: key));
        return await _client.SendAsync(request);
    }

    private async Task AssertRefusedAsync(HttpResponseMessage response, HttpStatusCode status)
    {
        Assert.That(response.StatusCode, Is.EqualTo(status));
        Assert.That(await AppRows.CountAsync(_database), Is.Zero, "nothing was written: no tenant, person or conversation");
        Assert.That(_connector.RequestCount, Is.Zero, "nothing was sent");
    }

    private sealed class StaticToken : IBotTokenProvider
    {
        public bool HasCredentials => true;

        public ValueTask<string?> GetTokenAsync(CancellationToken cancellationToken) => ValueTask.FromResult<string?>("outbound-token");
    }
}
