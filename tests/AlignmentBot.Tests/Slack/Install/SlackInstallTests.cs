using System.Net;
using System.Text.Json.Nodes;
using AlignmentBot.Bot.Slack;
using AlignmentBot.Bot.Slack.Install;
using AlignmentBot.Tests.Support;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Extensions.DependencyInjection;

namespace AlignmentBot.Tests.Slack.Install;

/// <summary>
/// "Add to Slack" end to end against the fake Slack and a real database: the authorize redirect, the code exchanged
/// by oauth.v2.access, one installation per workspace with its token encrypted, and every way it can go wrong
/// answered with a page and a 4xx, nothing written.
/// </summary>
public class SlackInstallTests
{
    private SlackHarness _harness = null!;
    private SlackOAuth _oauth = null!;

    [SetUp]
    public async Task StartAsync()
    {
        _harness = await SlackOAuth.StartHarnessAsync();
        _oauth = new SlackOAuth(_harness);
    }

    [TearDown]
    public async Task StopAsync()
    {
        _oauth.Browser.Dispose();
        await _harness.DisposeAsync();
    }

    private Task<long> WorkspacesAsync() => _harness.Database.ScalarAsync<long>("SELECT count(*) FROM slack_workspaces")!;

    private Task<long> TenantsAsync() => _harness.Database.ScalarAsync<long>("SELECT count(*) FROM tenants")!;

    private long TokenExchanges => _harness.Slack.Calls.Count(c => c.Method == "oauth.v2.access");

    [Test]
    public async Task Install_sends_the_browser_to_slacks_authorize_page_with_the_client_id_scopes_redirect_and_a_state()
    {
        using var response = await _oauth.Browser.GetAsync(SlackInstallEndpoints.InstallPath);

        var location = response.Headers.Location!;
        var query = QueryHelpers.ParseQuery(location.Query);
        Assert.Multiple(() =>
        {
            Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Redirect));
            Assert.That(location.GetLeftPart(UriPartial.Path), Is.EqualTo("https://slack.com/oauth/v2/authorize"));
            Assert.That(query["client_id"].ToString(), Is.EqualTo("1111.2222"));
            Assert.That(query["scope"].ToString().Split(','), Is.EqualTo(SlackScopes.Bot));
            Assert.That(query["redirect_uri"].ToString(), Is.EqualTo(SlackOAuth.RedirectUri));
            Assert.That(query["state"].ToString(), Has.Length.GreaterThan(40), "a signed, encrypted state");
        });
        Assert.That(await _harness.Database.ScalarAsync<long>("SELECT count(*) FROM slack_oauth_states"), Is.Zero, "handing out a state writes nothing");
    }

    [Test]
    public async Task A_good_code_stores_one_installation_with_its_token_encrypted_and_the_bot_uses_it()
    {
        _harness.Slack.ExpectedRedirectUri = SlackOAuth.RedirectUri;

        using var response = await _oauth.InstallAsync();

        var page = await response.Content.ReadAsStringAsync();
        var tenantId = await _harness.Database.ScalarAsync<long>($"SELECT id FROM tenants WHERE platform = 'slack' AND external_id = '{_harness.Slack.TeamId}'");
        var stored = await _harness.Database.ScalarAsync<string>("SELECT bot_token_protected FROM slack_workspaces");
        var tokens = _harness.Bot.Services.GetRequiredService<SlackTokens>();
        Assert.Multiple(async () =>
        {
            Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
            Assert.That(response.Content.Headers.ContentType!.MediaType, Is.EqualTo("text/html"));
            Assert.That(page, Does.Contain("Fake workspace"));
            Assert.That(await _harness.Database.ScalarAsync<string>("SELECT name FROM tenants"), Is.EqualTo("Fake workspace"));
            Assert.That(await _harness.Database.ScalarAsync<string>("SELECT bot_user_id FROM slack_workspaces"), Is.EqualTo(_harness.Slack.BotUserId));
            Assert.That(stored, Is.Not.Null.And.Not.Contains(_harness.Slack.BotToken).And.Not.Contains("xox"), "encrypted at rest");
            Assert.That(await _harness.Database.ScalarAsync<long>("SELECT count(*) FROM data_protection_keys"), Is.GreaterThan(0), "the key ring lives in PostgreSQL");
            Assert.That(await tokens.ForTenantAsync(tenantId, CancellationToken.None), Is.EqualTo(_harness.Slack.BotToken), "decrypted for sending");
            Assert.That(await _harness.Database.ScalarAsync<long>("SELECT count(*) FROM slack_oauth_states"), Is.EqualTo(1), "the state is used up");
        });
    }

    [Test]
    public async Task The_workspaces_people_are_read_from_users_list_after_the_install_without_a_channel_join()
    {
        _harness.Slack.Users.Add(new JsonObject { ["id"] = "U0ANA", ["name"] = "ana", ["tz"] = "Europe/Lisbon", ["profile"] = new JsonObject { ["real_name"] = "Ana" } });
        _harness.Slack.Users.Add(new JsonObject { ["id"] = "U0KEN", ["name"] = "ken", ["tz"] = "Asia/Tokyo", ["profile"] = new JsonObject { ["real_name"] = "Ken" } });

        using var response = await _oauth.InstallAsync();

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        var people = await Eventually.ValueAsync(() => _harness.Database.ScalarAsync<string>("""
            SELECT string_agg(p.platform_user_id || ' ' || t.platform || ' ' || p.time_zone, ', ' ORDER BY p.platform_user_id)
            FROM people p JOIN tenants t ON t.id = p.tenant_id
            """), s => s is not null && s.Contains("U0KEN"), TimeSpan.FromSeconds(30), "the people sync after the install");
        Assert.That(people, Is.EqualTo("U0ANA slack Europe/Lisbon, U0KEN slack Asia/Tokyo"));
        Assert.That(_harness.Slack.Calls.Count(c => c.Method == "users.list"), Is.EqualTo(1), "read once, with no channel joined");
    }

    [Test]
    public async Task Installing_again_updates_the_one_installation_and_serves_a_revoked_workspace_again()
    {
        _harness.Slack.TokenRotation = true; // each exchange hands out a different token
        using (await _oauth.InstallAsync("code-1"))
        {
        }

        var first = await _harness.Database.ScalarAsync<string>("SELECT bot_token_protected FROM slack_workspaces");
        await _harness.Database.ExecuteAsync("""
            UPDATE slack_workspaces SET revoked_at = now(), bot_token_protected = NULL;
            INSERT INTO conversations (tenant_id, kind, conversation_id, reachable, unreachable_reason)
            SELECT tenant_id, 'channel', 'C0GENERAL', false, 'app_uninstalled' FROM slack_workspaces;
            INSERT INTO conversations (tenant_id, kind, conversation_id, reachable, unreachable_reason)
            SELECT tenant_id, 'channel', 'C0ARCHIVED', false, 'slack is_archived' FROM slack_workspaces;
            """);

        using var again = await _oauth.InstallAsync("code-2");

        var tenantId = await _harness.Database.ScalarAsync<long>("SELECT tenant_id FROM slack_workspaces");
        Assert.Multiple(async () =>
        {
            Assert.That(again.StatusCode, Is.EqualTo(HttpStatusCode.OK));
            Assert.That(await WorkspacesAsync(), Is.EqualTo(1), "one installation per workspace");
            Assert.That(await TenantsAsync(), Is.EqualTo(1));
            Assert.That(await _harness.Database.ScalarAsync<string>("SELECT bot_token_protected FROM slack_workspaces"), Is.Not.Null.And.Not.EqualTo(first));
            Assert.That(await _harness.Database.ScalarAsync<bool>("SELECT revoked_at IS NULL FROM slack_workspaces"), Is.True);
            Assert.That(await _harness.Bot.Services.GetRequiredService<SlackTokens>().ForTenantAsync(tenantId, CancellationToken.None),
                Is.EqualTo(_harness.Slack.LastIssuedToken));
            Assert.That(await _harness.Database.ScalarAsync<string>("SELECT string_agg(conversation_id || '=' || reachable, ',' ORDER BY conversation_id) FROM conversations"),
                Is.EqualTo("C0ARCHIVED=false,C0GENERAL=true"), "only what the uninstall made unreachable comes back");
        });
    }

    [Test]
    public async Task Access_denied_in_slack_is_a_page_and_a_403_with_nothing_written()
    {
        var state = await _oauth.StartAsync();

        using var response = await _oauth.CallbackAsync(("error", "access_denied"), ("state", state));

        Assert.Multiple(async () =>
        {
            Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Forbidden));
            Assert.That(await response.Content.ReadAsStringAsync(), Does.Contain("access_denied").And.Contain("Not installed"));
            Assert.That(TokenExchanges, Is.Zero);
            Assert.That(await WorkspacesAsync() + await TenantsAsync(), Is.Zero);
        });
    }

    [Test]
    public async Task A_forged_or_tampered_state_is_a_400_and_slack_is_not_asked()
    {
        var state = await _oauth.StartAsync();
        _harness.Slack.OAuthCode = "code-1";
        var tampered = state[..^2] + (state[^2] == 'A' ? "B" : "A") + state[^1];

        using var forged = await _oauth.CallbackAsync(("code", "code-1"), ("state", "made-up"));
        using var altered = await _oauth.CallbackAsync(("code", "code-1"), ("state", tampered));
        using var missing = await _oauth.CallbackAsync(("code", "code-1"));

        Assert.Multiple(async () =>
        {
            Assert.That(new[] { forged.StatusCode, altered.StatusCode, missing.StatusCode }, Has.All.EqualTo(HttpStatusCode.BadRequest));
            Assert.That(await altered.Content.ReadAsStringAsync(), Does.Contain("not valid"));
            Assert.That(TokenExchanges, Is.Zero);
            Assert.That(await WorkspacesAsync() + await TenantsAsync(), Is.Zero);
        });
    }

    [Test]
    public async Task A_state_older_than_ten_minutes_is_refused_by_the_injected_clock()
    {
        var state = await _oauth.StartAsync();
        _harness.Slack.OAuthCode = "code-1";
        _harness.Clock.Advance(SlackInstallState.Lifetime + TimeSpan.FromSeconds(1));

        using var response = await _oauth.CallbackAsync(("code", "code-1"), ("state", state));

        Assert.Multiple(async () =>
        {
            Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest));
            Assert.That(await response.Content.ReadAsStringAsync(), Does.Contain("expired"));
            Assert.That(TokenExchanges, Is.Zero);
            Assert.That(await WorkspacesAsync() + await TenantsAsync(), Is.Zero);
        });
    }

    [Test]
    public async Task A_state_is_good_just_before_ten_minutes()
    {
        var state = await _oauth.StartAsync();
        _harness.Slack.OAuthCode = "code-1";
        _harness.Clock.Advance(SlackInstallState.Lifetime - TimeSpan.FromSeconds(1));

        using var response = await _oauth.CallbackAsync(("code", "code-1"), ("state", state));

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK), "the negative control of the expiry test");
    }

    [Test]
    public async Task A_state_used_once_is_refused_the_second_time()
    {
        var state = await _oauth.StartAsync();
        _harness.Slack.OAuthCode = "code-1";
        using var first = await _oauth.CallbackAsync(("code", "code-1"), ("state", state));
        _harness.Slack.OAuthCode = "code-2";

        using var second = await _oauth.CallbackAsync(("code", "code-2"), ("state", state));

        Assert.Multiple(async () =>
        {
            Assert.That(first.StatusCode, Is.EqualTo(HttpStatusCode.OK));
            Assert.That(second.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest));
            Assert.That(await second.Content.ReadAsStringAsync(), Does.Contain("already been used"));
            Assert.That(TokenExchanges, Is.EqualTo(1), "the replay never reached Slack");
        });
    }

    [Test]
    public async Task Slack_refusing_the_code_is_a_page_naming_its_error_and_nothing_is_installed()
    {
        var state = await _oauth.StartAsync();
        _harness.Slack.OAuthCode = "the-real-code";

        using var response = await _oauth.CallbackAsync(("code", "a-stale-code"), ("state", state));

        Assert.Multiple(async () =>
        {
            Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest));
            Assert.That(await response.Content.ReadAsStringAsync(), Does.Contain("invalid_code"));
            Assert.That(TokenExchanges, Is.EqualTo(1));
            Assert.That(await WorkspacesAsync() + await TenantsAsync(), Is.Zero);
        });
    }

    [Test]
    public async Task An_org_wide_enterprise_install_is_refused_with_nothing_written()
    {
        _harness.Slack.EnterpriseId = "E0ORG";
        _harness.Slack.EnterpriseInstall = true;

        using var response = await _oauth.InstallAsync();

        Assert.Multiple(async () =>
        {
            Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest));
            Assert.That(await response.Content.ReadAsStringAsync(), Does.Contain("organization-wide"));
            Assert.That(await WorkspacesAsync() + await TenantsAsync(), Is.Zero);
        });
    }

    [Test]
    public async Task A_workspace_inside_an_enterprise_keeps_its_enterprise_id()
    {
        _harness.Slack.EnterpriseId = "E0ORG";

        using var response = await _oauth.InstallAsync();

        Assert.Multiple(async () =>
        {
            Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
            Assert.That(await _harness.Database.ScalarAsync<string>("SELECT enterprise_id || '/' || team_id FROM slack_workspaces"), Is.EqualTo($"E0ORG/{_harness.Slack.TeamId}"));
        });
    }
}
