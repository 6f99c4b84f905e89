using System.Net;
using System.Web;
using AlignmentBot.Tests.Digests;
using Microsoft.Extensions.Time.Testing;
using Microsoft.IdentityModel.Tokens;

namespace AlignmentBot.Tests.Web;

/// <summary>Signing in to the dashboard with (fake) Entra ID over OpenID Connect, through the real host.</summary>
public class DashboardSignInTests
{
    private DashboardSite _site = null!;
    private SignedInClient _client = null!;

    [SetUp]
    public async Task StartAsync()
    {
        _site = await DashboardSite.StartAsync(new FakeTimeProvider(DigestFixture.At));
        _client = new SignedInClient(_site);
    }

    [TearDown]
    public async Task StopAsync()
    {
        _client.Dispose();
        await _site.DisposeAsync();
    }

    [Test]
    public async Task Without_a_session_a_dashboard_sends_the_browser_to_entra_with_pkce_and_the_code_in_the_query()
    {
        using var response = await _client.SendAsync(new HttpRequestMessage(HttpMethod.Get, $"/teams/{_site.Fixture.Platform}"));

        var location = response.Headers.Location!;
        var query = HttpUtility.ParseQueryString(location.Query);
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Redirect));
        Assert.That(location.GetLeftPart(UriPartial.Path), Is.EqualTo(new Uri(_site.Entra.BaseAddress, "organizations/oauth2/v2.0/authorize").ToString()));
        Assert.That(query["client_id"], Is.EqualTo(DashboardSite.ClientId));
        Assert.That(query["response_type"], Is.EqualTo("code"));
        Assert.That(query["response_mode"], Is.Null.Or.EqualTo("query"), "the code comes back in the query (the default for a code, so it may be left out)");
        Assert.That(query["code_challenge_method"], Is.EqualTo("S256"));
        Assert.That(query["redirect_uri"], Is.EqualTo("http://localhost/signin-oidc"));
        Assert.That(response.Headers.GetValues("Set-Cookie").Where(c => c.Contains(".AspNetCore.", StringComparison.Ordinal)),
            Has.All.Contain("samesite=lax").IgnoreCase.And.All.Contain("httponly").IgnoreCase);
    }

    [Test]
    public async Task Signing_in_opens_the_team_dashboard_with_a_lax_http_only_session_cookie()
    {
        _site.Entra.User = DashboardSite.Mia;
        using var callback = await FollowToCallbackAsync($"/teams/{_site.Fixture.Platform}");
        var session = callback.Headers.GetValues("Set-Cookie").Single(c => c.StartsWith(".AlignmentBot.Dashboard=", StringComparison.Ordinal));

        using var page = await _client.GetAsync(callback.Headers.Location!.ToString());
        var html = await page.Content.ReadAsStringAsync();

        Assert.That(session, Does.Contain("samesite=lax").IgnoreCase.And.Contain("httponly").IgnoreCase);
        Assert.That(page.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(html, Does.Contain("<h1>Platform</h1>"));
        Assert.That(html, Does.Contain("Signed in as Mia"));
        Assert.That(_site.Entra.TokenRequests[^1]["grant_type"], Is.EqualTo("authorization_code"));
        Assert.That(_site.Entra.TokenRequests[^1].ContainsKey("code_verifier"), Is.True);
    }

    [Test]
    public async Task An_id_token_signed_with_a_key_entra_does_not_publish_is_refused_with_401_and_no_session()
    {
        _site.Entra.ForgeWith = new RsaSecurityKey(System.Security.Cryptography.RSA.Create(2048)) { KeyId = _site.Entra.SigningKey.KeyId };

        using var response = await _client.SignInAsync(DashboardSite.Mia, $"/teams/{_site.Fixture.Platform}");

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Unauthorized));
        Assert.That(_client.Cookies.Keys, Has.None.EqualTo(".AlignmentBot.Dashboard"));
    }

    [Test]
    public async Task An_expired_id_token_is_refused_with_401()
    {
        _site.Entra.IdTokenLifetime = TimeSpan.FromMinutes(-10);

        using var response = await _client.SignInAsync(DashboardSite.Mia, $"/teams/{_site.Fixture.Platform}");

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Unauthorized));
    }

    [Test]
    public async Task A_session_ends_after_its_lifetime_on_the_apps_clock()
    {
        using var first = await _client.SignInAsync(DashboardSite.Mia, $"/teams/{_site.Fixture.Platform}");
        _site.Clock.Advance(TimeSpan.FromHours(8) + TimeSpan.FromMinutes(1));

        using var later = await _client.SendAsync(new HttpRequestMessage(HttpMethod.Get, $"/teams/{_site.Fixture.Platform}"));

        Assert.That(first.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(later.StatusCode, Is.EqualTo(HttpStatusCode.Redirect), "back to Entra");
        Assert.That(later.Headers.Location!.Port, Is.EqualTo(_site.Entra.BaseAddress.Port));
    }

    [Test]
    public async Task Signing_out_needs_the_forms_antiforgery_token()
    {
        using var page = await _client.SignInAsync(DashboardSite.Mia, $"/teams/{_site.Fixture.Platform}");
        var html = await page.Content.ReadAsStringAsync();
        var token = HttpUtility.HtmlDecode(System.Text.RegularExpressions.Regex.Match(html, "name=\"__RequestVerificationToken\" value=\"([^\"]+)\"").Groups[1].Value);

        using var forged = await _client.SendAsync(new HttpRequestMessage(HttpMethod.Post, "/signout") { Content = new FormUrlEncodedContent([]) });
        using var stillIn = await _client.SendAsync(new HttpRequestMessage(HttpMethod.Get, $"/teams/{_site.Fixture.Platform}"));
        using var real = await _client.SendAsync(new HttpRequestMessage(HttpMethod.Post, "/signout")
        {
            Content = new FormUrlEncodedContent([new("__RequestVerificationToken", token)]),
        });
        using var after = await _client.SendAsync(new HttpRequestMessage(HttpMethod.Get, $"/teams/{_site.Fixture.Platform}"));

        Assert.That(token, Is.Not.Empty, "the sign-out form carries a token");
        Assert.That(forged.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest));
        Assert.That(stillIn.StatusCode, Is.EqualTo(HttpStatusCode.OK), "a post without the token changed nothing");
        Assert.That(real.StatusCode, Is.EqualTo(HttpStatusCode.Redirect));
        Assert.That(real.Headers.Location!.ToString(), Is.EqualTo("/signed-out"));
        Assert.That(after.StatusCode, Is.EqualTo(HttpStatusCode.Redirect), "signed out: the next visit goes to Entra again");
    }

    [Test]
    public async Task Pages_carry_a_script_free_content_security_policy_and_no_sniffing()
    {
        using var page = await _client.SignInAsync(DashboardSite.Mia, $"/teams/{_site.Fixture.Platform}");
        var csp = string.Join(";", page.Headers.GetValues("Content-Security-Policy"));

        Assert.That(csp, Does.Contain("script-src 'none'"));
        Assert.That(csp, Does.Not.Contain("unsafe-inline"));
        Assert.That(csp, Does.Contain("frame-ancestors 'self'"));
        Assert.That(page.Headers.GetValues("X-Content-Type-Options"), Is.EqualTo(new[] { "nosniff" }));
        Assert.That(page.Headers.CacheControl?.NoStore, Is.True, "a team's numbers stay out of shared caches");
        Assert.That(await page.Content.ReadAsStringAsync(), Does.Not.Contain("<script"));
    }

    /// <summary>Follows the redirects of a first visit up to the bot's answer to Entra's callback (its session cookie).</summary>
    private async Task<HttpResponseMessage> FollowToCallbackAsync(string path)
    {
        using var challenge = await _client.SendAsync(new HttpRequestMessage(HttpMethod.Get, path));
        using var entra = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false });
        using var authorize = await entra.GetAsync(challenge.Headers.Location);
        return await _client.SendAsync(new HttpRequestMessage(HttpMethod.Get, authorize.Headers.Location!.PathAndQuery));
    }
}
