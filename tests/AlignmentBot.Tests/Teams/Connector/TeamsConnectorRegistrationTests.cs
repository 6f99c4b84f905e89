using AlignmentBot.Bot.Teams.Connector;
using AlignmentBot.Bot.Teams.Protocol;
using AlignmentBot.Tests.Teams.Fakes;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace AlignmentBot.Tests.Teams.Connector;

public class TeamsConnectorRegistrationTests
{
    [Test]
    public void Everything_the_connector_needs_is_registered()
    {
        using var host = ConnectorHost.Authenticated();

        Assert.Multiple(() =>
        {
            Assert.That(host.Services.GetRequiredService<IBotTokenProvider>(), Is.TypeOf<MsalBotTokenProvider>());
            Assert.That(host.Services.GetRequiredService<IBotTokenProvider>().HasCredentials, Is.True);
            Assert.That(host.Client, Is.Not.Null);
            Assert.That(host.Services.GetRequiredService<IOptions<TeamsConnectorOptions>>().Value.MaxRetries, Is.EqualTo(3));
        });
    }

    [Test]
    public void Invalid_retry_settings_name_the_setting_to_fix()
    {
        using var host = ConnectorHost.Local(settings: new Dictionary<string, string?>
        {
            ["Teams:Connector:MaxRetries"] = "50",
            ["Teams:Connector:Timeout"] = "00:00:00",
        });

        var failure = Assert.Throws<OptionsValidationException>(() => _ = host.Services.GetRequiredService<IOptions<TeamsConnectorOptions>>().Value);

        Assert.That(failure!.Failures, Has.Some.StartWith("Teams:Connector:MaxRetries").And.Some.StartWith("Teams:Connector:Timeout"));
    }

    [Test]
    public async Task Registering_twice_does_not_stack_a_second_retry_handler()
    {
        await using var fake = await FakeBotConnector.StartAsync();
        fake.RespondNext(20, FakeReply.WithStatus(503));
        using var host = ConnectorHost.Local(services => services.AddTeamsConnector(), new Dictionary<string, string?> { ["Teams:Connector:MaxRetries"] = "2" });

        await host.Client.SendAsync(fake.ServiceUrl, "a:chat", new Activity { Type = ActivityTypes.Message });

        Assert.That(fake.RequestCount, Is.EqualTo(3), "2 retries, not 2 × 2 from two nested handlers");
    }
}
