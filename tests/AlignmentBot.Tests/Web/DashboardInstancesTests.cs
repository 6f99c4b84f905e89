using System.Net;
using AlignmentBot.Tests.Digests;
using AlignmentBot.Tests.Support;
using Microsoft.Extensions.Time.Testing;

namespace AlignmentBot.Tests.Web;

/// <summary>No sticky sessions: a session started on one instance is good on another, because the key ring is in the database.</summary>
public class DashboardInstancesTests
{
    [Test]
    public async Task A_session_signed_in_on_one_instance_opens_the_dashboard_on_another()
    {
        var clock = new FakeTimeProvider(DigestFixture.At);
        await using var site = await DashboardSite.StartAsync(clock);
        using var client = new SignedInClient(site);
        using var first = await client.SignInAsync(DashboardSite.Mia, $"/teams/{site.Fixture.Platform}");

        await using var other = new BotFactory(site.Database, new Dictionary<string, string?>
        {
            ["Dashboard:Enabled"] = "true",
            ["Dashboard:Authority"] = site.Entra.Authority(),
            ["Dashboard:ClientId"] = DashboardSite.ClientId,
            ["Dashboard:ClientSecret"] = DashboardSite.ClientSecret,
        }, clock);
        using var otherHttp = other.CreateDefaultClient();
        using var request = new HttpRequestMessage(HttpMethod.Get, $"/teams/{site.Fixture.Platform}");
        request.Headers.Add("Cookie", string.Join("; ", client.Cookies.Select(c => $"{c.Key}={c.Value}")));
        using var onOther = await otherHttp.SendAsync(request);

        Assert.That(first.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(onOther.StatusCode, Is.EqualTo(HttpStatusCode.OK), "the second instance read the first one's cookie");
        Assert.That(await onOther.Content.ReadAsStringAsync(), Does.Contain("Signed in as Mia"));
        Assert.That(await site.Database.ScalarAsync<long>("SELECT count(*) FROM data_protection_keys"), Is.EqualTo(1), "one key, shared");
    }
}
