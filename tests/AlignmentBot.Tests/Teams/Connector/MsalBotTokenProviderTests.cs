using AlignmentBot.Bot.Teams.Connector;
using AlignmentBot.Bot.Teams.Protocol;
using AlignmentBot.Tests.Teams.Fakes;
using Microsoft.Extensions.DependencyInjection;

namespace AlignmentBot.Tests.Teams.Connector;

/// <summary>
/// The real MSAL confidential client, configured as in production (authority
/// https://login.microsoftonline.com/{tenant}); its HttpClient is routed to a fake Entra ID on loopback.
/// </summary>
public class MsalBotTokenProviderTests
{
    private static readonly Activity Message = new() { Type = ActivityTypes.Message, Text = "hi" };

    [Test]
    public async Task The_token_is_requested_by_client_credentials_for_the_bot_framework_scope()
    {
        await using var entra = await FakeEntraId.StartAsync(ConnectorHost.AppId, ConnectorHost.AppPassword);
        using var host = HostWithEntra(entra);

        var token = await host.Services.GetRequiredService<IBotTokenProvider>().GetTokenAsync(CancellationToken.None);

        var form = entra.TokenRequests.Single();
        Assert.Multiple(() =>
        {
            Assert.That(token, Is.EqualTo("entra-token-1"));
            Assert.That(entra.Requests, Has.Member($"POST /{ConnectorHost.TenantId}/oauth2/v2.0/token"),
                "the tenant's token endpoint on the configured authority");
            Assert.That(form["grant_type"], Is.EqualTo("client_credentials"));
            Assert.That(form["client_id"], Is.EqualTo(ConnectorHost.AppId));
            Assert.That(form["client_secret"], Is.EqualTo(ConnectorHost.AppPassword));
            Assert.That(form["scope"], Is.EqualTo("https://api.botframework.com/.default"));
            Assert.That(host.Logs.Entries.Select(e => e.Message), Has.None.StartsWith("MSAL:"), "MSAL found nothing to warn about");
        });
    }

    [Test]
    public async Task The_token_is_cached_across_sends_and_reaches_the_connector()
    {
        await using var entra = await FakeEntraId.StartAsync(ConnectorHost.AppId, ConnectorHost.AppPassword);
        await using var connector = await FakeBotConnector.StartAsync();
        connector.RequiredToken = "entra-token-1";
        using var host = HostWithEntra(entra);

        var first = await host.Client.SendAsync(connector.ServiceUrl, "a:chat", Message);
        var second = await host.Client.SendAsync(connector.ServiceUrl, "a:chat", Message);

        Assert.Multiple(() =>
        {
            Assert.That(first.IsSuccess && second.IsSuccess, Is.True, $"{first} {second}");
            Assert.That(entra.TokenRequests, Has.Count.EqualTo(1), "MSAL's cache serves the second send");
            Assert.That(connector.Requests.Select(r => r.Authorization), Is.All.EqualTo("Bearer entra-token-1"));
        });
    }

    [Test]
    public async Task A_refused_secret_is_reported_as_no_token_and_nothing_is_sent()
    {
        await using var entra = await FakeEntraId.StartAsync(ConnectorHost.AppId, "the-real-secret");
        await using var connector = await FakeBotConnector.StartAsync();
        using var host = HostWithEntra(entra);

        var result = await host.Client.SendAsync(connector.ServiceUrl, "a:chat", Message);

        Assert.Multiple(() =>
        {
            Assert.That(result.Failure, Is.EqualTo(ConnectorFailure.TokenUnavailable));
            Assert.That(result.ErrorMessage, Does.Contain("invalid_client"));
            Assert.That(connector.RequestCount, Is.Zero);
            Assert.That(host.Logs.Entries.Select(e => e.Message), Has.None.Contains(ConnectorHost.AppPassword), "the secret is never logged");
        });
    }

    [Test]
    public async Task Without_an_app_id_there_is_no_token_and_entra_is_not_asked()
    {
        await using var entra = await FakeEntraId.StartAsync(ConnectorHost.AppId, ConnectorHost.AppPassword);
        using var host = ConnectorHost.Local(services => RouteToEntra(services, entra));
        var tokens = host.Services.GetRequiredService<IBotTokenProvider>();

        var token = await tokens.GetTokenAsync(CancellationToken.None);

        Assert.Multiple(() =>
        {
            Assert.That(tokens.HasCredentials, Is.False);
            Assert.That(token, Is.Null);
            Assert.That(entra.Requests, Is.Empty);
        });
    }

    private static ConnectorHost HostWithEntra(FakeEntraId entra) => ConnectorHost.Authenticated(services => RouteToEntra(services, entra));

    private static void RouteToEntra(IServiceCollection services, FakeEntraId entra) =>
        services.AddHttpClient(MsalBotTokenProvider.HttpClientName).AddHttpMessageHandler(() => new LoopbackRedirectHandler(entra.BaseAddress));
}
