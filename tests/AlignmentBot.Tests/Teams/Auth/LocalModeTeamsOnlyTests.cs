using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using AlignmentBot.Bot.Teams;
using AlignmentBot.Tests.Support;
using AlignmentBot.Tests.Teams.Fakes;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Hosting.Internal;

namespace AlignmentBot.Tests.Teams.Auth;

/// <summary>The channel and tenant rules hold without a token too (local mode), and the settings that would leave the tenant open are refused.</summary>
public class LocalModeTeamsOnlyTests
{
    private const string OurTenant = "72f988bf-86f1-41af-91ab-2d7cd011db47";

    [TestCase("webchat", OurTenant, TestName = "Local mode refuses a Web Chat activity")]
    [TestCase("directline", OurTenant, TestName = "Local mode refuses a Direct Line activity")]
    [TestCase(null, OurTenant, TestName = "Local mode refuses an activity naming no channel")]
    [TestCase("msteams", "0d5a4b3c-2e1f-4a6b-8c7d-9e0f1a2b3c4d", TestName = "Local mode with a configured tenant refuses another tenant")]
    public async Task An_activity_that_is_not_from_our_teams_tenant_is_refused_without_a_write(string? channel, string tenant)
    {
        await using var database = await TestDatabase.CreateAsync();
        await using var connector = await FakeBotConnector.StartAsync();
        await using var bot = new BotFactory(database, new Dictionary<string, string?> { ["Teams:TenantId"] = OurTenant });
        using var client = bot.CreateClient();
        var activity = JsonNode.Parse(TeamsPayloads.Json("personal-message", connector.ServiceUrl))!.AsObject();
        activity["channelId"] = channel;
        activity["conversation"]!["tenantId"] = tenant;
        activity["channelData"]!["tenant"]!["id"] = tenant;

        var response = await client.PostAsync("/api/messages", new StringContent(activity.ToJsonString(), Encoding.UTF8, "application/json"));

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Forbidden));
        Assert.That(await AppRows.CountAsync(database), Is.Zero);
        Assert.That(connector.RequestCount, Is.Zero);
    }

    [Test]
    public void A_multi_tenant_bot_without_its_tenants_listed_does_not_start()
    {
        var options = new TeamsOptions { AppId = Guid.NewGuid().ToString(), AppPassword = "secret", TenantId = "botframework.com" };

        var result = new TeamsOptionsValidator(new HostingEnvironment { EnvironmentName = Environments.Production }, Urls(null)).Validate(null, options);

        Assert.That(result.FailureMessage, Does.Contain("Teams:AllowedTenants is empty while Teams:TenantId is \"botframework.com\""));
        options.AllowedTenants.Add(OurTenant);
        Assert.That(new TeamsOptionsValidator(new HostingEnvironment { EnvironmentName = Environments.Production }, Urls(null)).Validate(null, options).Succeeded, Is.True,
            "with its tenants listed it starts");
    }

    [TestCase("http://0.0.0.0:3978")]
    [TestCase("http://*:3978")]
    [TestCase("http://+:3978")]
    [TestCase("http://127.0.0.1:3978;http://192.168.1.20:3978")]
    [TestCase("http://bot.example.com:3978")]
    public void Unauthenticated_development_mode_refuses_to_listen_beyond_this_machine(string urls)
    {
        var result = new TeamsOptionsValidator(new HostingEnvironment { EnvironmentName = Environments.Development }, Urls(urls)).Validate(null, new TeamsOptions());

        Assert.That(result.FailureMessage, Does.Contain("unauthenticated local mode listens on loopback only"));
    }

    [TestCase("http://127.0.0.1:3978")]
    [TestCase("http://localhost:3978")]
    [TestCase("http://[::1]:3978")]
    [TestCase(null)]
    public void Unauthenticated_development_mode_on_loopback_starts(string? urls) =>
        Assert.That(new TeamsOptionsValidator(new HostingEnvironment { EnvironmentName = Environments.Development }, Urls(urls)).Validate(null, new TeamsOptions()).Succeeded, Is.True);

    private static IConfiguration Urls(string? urls) =>
        new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?> { ["urls"] = urls }).Build();
}
