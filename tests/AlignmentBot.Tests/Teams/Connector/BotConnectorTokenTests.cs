using System.Net;
using AlignmentBot.Bot.Teams.Connector;
using AlignmentBot.Bot.Teams.Protocol;
using AlignmentBot.Tests.Teams.Fakes;
using Microsoft.Extensions.DependencyInjection;

namespace AlignmentBot.Tests.Teams.Connector;

/// <summary>Where the bearer token goes (and where it never goes), and what is logged.</summary>
public class BotConnectorTokenTests
{
    private const string Token = "outbound-token";

    private static readonly Activity Message = new() { Type = ActivityTypes.Message, Text = "hi" };

    [Test]
    public async Task The_bearer_token_is_sent_when_the_bot_has_credentials()
    {
        await using var fake = await FakeBotConnector.StartAsync();
        fake.RequiredToken = Token;
        var tokens = new StaticTokenProvider(Token);
        using var host = ConnectorHost.Authenticated(services => services.AddSingleton<IBotTokenProvider>(tokens));

        var result = await host.Client.SendAsync(fake.ServiceUrl, "a:chat", Message);

        Assert.That(result.IsSuccess, Is.True, result.ToString());
        Assert.That(fake.Requests.Single().Authorization, Is.EqualTo($"Bearer {Token}"));
    }

    [Test]
    public async Task No_authorization_header_is_sent_in_local_mode()
    {
        await using var fake = await FakeBotConnector.StartAsync();
        using var host = ConnectorHost.Local();

        var result = await host.Client.SendAsync(fake.ServiceUrl, "a:chat", Message);

        Assert.That(result.IsSuccess, Is.True, result.ToString());
        Assert.That(fake.Requests.Single().Authorization, Is.Null);
    }

    [Test]
    public async Task A_rejected_token_comes_back_as_401_without_retrying()
    {
        await using var fake = await FakeBotConnector.StartAsync();
        fake.RequiredToken = "the-right-token";
        using var host = ConnectorHost.Authenticated(services => services.AddSingleton<IBotTokenProvider>(new StaticTokenProvider("a-stale-token")));

        var result = await host.Client.SendAsync(fake.ServiceUrl, "a:chat", Message);

        Assert.That(result.StatusCode, Is.EqualTo(HttpStatusCode.Unauthorized));
        Assert.That(fake.RequestCount, Is.EqualTo(1));
    }

    [Test]
    public async Task A_host_that_is_not_allowed_is_refused_before_any_request_or_token()
    {
        await using var fake = await FakeBotConnector.StartAsync();
        var tokens = new StaticTokenProvider(Token);
        using var host = ConnectorHost.Authenticated(services => services.AddSingleton<IBotTokenProvider>(tokens), allowLoopback: false);

        var result = await host.Client.SendAsync(fake.ServiceUrl, "a:chat", Message);

        Assert.Multiple(() =>
        {
            Assert.That(result.Failure, Is.EqualTo(ConnectorFailure.ServiceUrlNotAllowed));
            Assert.That(result.StatusCode, Is.Null);
            Assert.That(fake.RequestCount, Is.Zero, "nothing may reach a host we do not trust");
            Assert.That(tokens.Calls, Is.Zero, "the token is not even fetched");
            Assert.That(host.Logs.Entries.Select(e => e.Message), Has.Some.Contains("refused, nothing sent").And.Some.Contains("127.0.0.1"));
        });
    }

    [Test]
    public async Task The_correlating_operation_id_is_returned_and_logged_and_the_token_is_never_logged()
    {
        await using var fake = await FakeBotConnector.StartAsync();
        fake.RespondNext(1, FakeReply.MessageWritesBlocked());
        using var host = ConnectorHost.Authenticated(services => services.AddSingleton<IBotTokenProvider>(new StaticTokenProvider(Token)));

        var blocked = await host.Client.SendAsync(fake.ServiceUrl, "a:chat", Message);
        var sent = await host.Client.SendAsync(fake.ServiceUrl, "a:chat", Message);

        var answered = fake.Requests;
        var logged = host.Logs.Entries.Select(e => e.Message).ToList();
        Assert.Multiple(() =>
        {
            Assert.That(blocked.CorrelatingOperationId, Is.EqualTo(answered[0].CorrelatingOperationId).And.Not.Null);
            Assert.That(sent.CorrelatingOperationId, Is.EqualTo(answered[1].CorrelatingOperationId).And.Not.Null);
            Assert.That(logged, Has.Some.Contains(answered[0].CorrelatingOperationId), "failures are logged with the operation id");
            Assert.That(logged, Has.Some.Contains(answered[1].CorrelatingOperationId), "successes are logged (at Debug) with it too");
            Assert.That(logged, Has.None.Contains(Token), "not even at Trace, where HttpClient logs headers");
        });
    }
}
