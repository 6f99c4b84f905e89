using AlignmentBot.Bot.Teams;
using AlignmentBot.Bot.Teams.Connector;
using Microsoft.Extensions.Options;

namespace AlignmentBot.Tests.Teams.Connector;

/// <summary>Which serviceUrls may receive a request, with and without our token.</summary>
public class ServiceUrlAllowListTests
{
    private static readonly ServiceUrlAllowList AllowList = new(Options.Create(new TeamsOptions { AllowedServiceUrlHosts = ["connector.test", "*.dev.example"] }));

    [TestCase("https://smba.trafficmanager.net/amer/", "https://smba.trafficmanager.net/amer/")]
    [TestCase("https://smba.trafficmanager.net/teams", "https://smba.trafficmanager.net/teams/")]
    [TestCase("https://SMBA.TrafficManager.net/emea/", "https://smba.trafficmanager.net/emea/")]
    [TestCase("https://europe.botframework.com/", "https://europe.botframework.com/")]
    [TestCase("https://smba.infra.gov.teams.microsoft.us/", "https://smba.infra.gov.teams.microsoft.us/")]
    [TestCase("https://connector.test:8443/x/", "https://connector.test:8443/x/")]
    [TestCase("https://a.dev.example/", "https://a.dev.example/")]
    public void A_teams_or_configured_host_over_https_may_receive_the_token(string serviceUrl, string expectedBase)
    {
        Assert.That(AllowList.TryGetBase(serviceUrl, withToken: true, out var baseUri, out var reason), Is.True, reason);
        Assert.That(baseUri!.ToString(), Is.EqualTo(expectedBase));
    }

    [TestCase("http://smba.trafficmanager.net/amer/", "not https")]
    [TestCase("https://botframework.com/", "is not a Teams host")]
    [TestCase("https://europe.botframework.com.attacker.net/", "is not a Teams host")]
    [TestCase("https://smba.trafficmanager.net.attacker.net/", "is not a Teams host")]
    [TestCase("https://attacker.net/smba.trafficmanager.net/", "is not a Teams host")]
    [TestCase("https://user:pass@smba.trafficmanager.net/", "not an absolute")]
    [TestCase("ftp://smba.trafficmanager.net/", "not an absolute")]
    [TestCase("/v3/conversations", "not an absolute")]
    [TestCase("", "not an absolute")]
    [TestCase("http://127.0.0.1:3978/", "is not a Teams host")]
    [TestCase("http://localhost:56150/", "is not a Teams host")]
    public void Any_other_url_is_refused_when_a_token_would_go_with_it(string serviceUrl, string because)
    {
        Assert.That(AllowList.TryGetBase(serviceUrl, withToken: true, out _, out var reason), Is.False);
        Assert.That(reason, Does.Contain(because));
    }

    [TestCase("http://127.0.0.1:3978/")]
    [TestCase("http://localhost:56150/")]
    [TestCase("http://[::1]:56150/")]
    public void Without_a_token_any_loopback_url_is_fine(string serviceUrl)
    {
        Assert.That(AllowList.TryGetBase(serviceUrl, withToken: false, out var baseUri, out var reason), Is.True, reason);
        Assert.That(baseUri!.AbsolutePath, Is.EqualTo("/"));
    }

    [TestCase("https://attacker.net/")]
    [TestCase("http://192.168.1.20:3978/")]
    public void Without_a_token_other_hosts_still_need_the_allow_list(string serviceUrl)
    {
        Assert.That(AllowList.TryGetBase(serviceUrl, withToken: false, out _, out _), Is.False);
    }

    [Test]
    public void A_loopback_host_on_the_allow_list_may_receive_the_token_over_plain_http()
    {
        var allowList = new ServiceUrlAllowList(Options.Create(new TeamsOptions { AllowedServiceUrlHosts = ["127.0.0.1"] }));

        Assert.That(allowList.TryGetBase("http://127.0.0.1:41234/", withToken: true, out _, out var reason), Is.True, reason);
    }
}
