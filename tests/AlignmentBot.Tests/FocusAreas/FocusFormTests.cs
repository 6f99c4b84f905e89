using System.Net;
using System.Text.RegularExpressions;
using AlignmentBot.Scheduler.FocusAreas;
using AlignmentBot.Tests.Digests;
using AlignmentBot.Tests.Teams.Fakes;
using AlignmentBot.Tests.Web;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace AlignmentBot.Tests.FocusAreas;

/// <summary>
/// The dashboard's focus form over HTTP (antiforgery and all): Platform's manager picks a driver whose result the
/// latest run shows and writes a plan; members see it read-only; nobody else can write; a driver under the threshold
/// cannot be picked. Platform's latest run (<see cref="DigestFixture"/>): question 1 ("clarity") 5,4,4,4,5,3 → 4.17,
/// 83.3 % favourable; question 2 ("line of sight") 4,4,3,5,4,4 → 4.00, 83.3 %; Payments had 4 answers (under 5).
/// </summary>
public partial class FocusFormTests
{
    private DashboardSite _site = null!;
    private SignedInClient _client = null!;

    [SetUp]
    public async Task StartAsync()
    {
        _site = await DashboardSite.StartAsync(new FakeTimeProvider(DigestFixture.At));
        await _site.Database.ExecuteAsync("UPDATE survey_questions SET driver = CASE position WHEN 1 THEN 'clarity' WHEN 2 THEN 'line of sight' ELSE 'recommend' END");
        _client = new SignedInClient(_site);
    }

    [TearDown]
    public async Task StopAsync()
    {
        _client.Dispose();
        await _site.DisposeAsync();
    }

    [GeneratedRegex("name=\"__RequestVerificationToken\" value=\"([^\"]+)\"")]
    private static partial Regex TokenPattern();

    private async Task<string> PageAsync(FakeEntraId.SignedInUser user, long team)
    {
        using var response = await _client.SignInAsync(user, $"/teams/{team}");
        return WebUtility.HtmlDecode(await response.Content.ReadAsStringAsync());
    }

    private async Task<(HttpStatusCode Status, string Html)> PostAsync(long team, Dictionary<string, string> form, bool withToken = true)
    {
        var page = await _client.GetAsync($"/teams/{team}");
        var html = await page.Content.ReadAsStringAsync();
        if (withToken)
        {
            form["__RequestVerificationToken"] = WebUtility.HtmlDecode(TokenPattern().Match(html).Groups[1].Value);
        }

        using var request = new HttpRequestMessage(HttpMethod.Post, $"/teams/{team}") { Content = new FormUrlEncodedContent(form) };
        using var response = await _client.SendAsync(request);
        return (response.StatusCode, WebUtility.HtmlDecode(await response.Content.ReadAsStringAsync()));
    }

    private static Dictionary<string, string> Focus(string driver, string plan) => new() { ["_handler"] = "focus", ["Driver"] = driver, ["Plan"] = plan };

    private Task<long> FocusRowsAsync() => _site.Database.ScalarAsync<long>("SELECT count(*) FROM focus_areas");

    [Test]
    public async Task The_manager_sees_the_shown_drivers_with_their_results_and_sets_a_focus_that_is_audited()
    {
        var html = await PageAsync(DashboardSite.Mia, _site.Fixture.Platform);
        Assert.That(html, Does.Contain("line of sight — 4.00 of 5, 83.3 % favourable, 6 answers"));
        Assert.That(html, Does.Contain("clarity — 4.17 of 5"));
        Assert.That(html, Does.Not.Contain("recommend —"), "an eNPS question has no 1–5 score to act on");

        var (status, after) = await PostAsync(_site.Fixture.Platform, Focus("line of sight", "Every sprint review starts with the quarter's objectives."));

        Assert.That(status, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(after, Does.Contain("Focus set"));
        Assert.That(after, Does.Contain("“line of sight” scored 4.00 of 5 (83.3 % favourable) in “Alignment pulse”"));
        Assert.That(after, Does.Contain("Every sprint review starts with the quarter's objectives."));
        var row = await _site.Database.ScalarAsync<string>("SELECT driver || '|' || source_mean::text || '|' || set_by::text || '|' || status FROM focus_areas");
        Assert.That(row, Is.EqualTo($"line of sight|4.00|{_site.Fixture.Manager}|active"));
        Assert.That(await _site.Database.ScalarAsync<string>("SELECT actor || '|' || action || '|' || subject FROM audit_log WHERE action LIKE 'focus.%'"),
            Is.EqualTo($"manager mia|focus.set|team/{_site.Fixture.Platform}"));
    }

    [Test]
    public async Task A_post_without_the_antiforgery_token_is_refused_and_writes_nothing()
    {
        await PageAsync(DashboardSite.Mia, _site.Fixture.Platform);

        var (status, _) = await PostAsync(_site.Fixture.Platform, Focus("clarity", "A plan"), withToken: false);

        Assert.That(status, Is.EqualTo(HttpStatusCode.BadRequest));
        Assert.That(await FocusRowsAsync(), Is.Zero);
    }

    [Test]
    public async Task A_member_sees_the_focus_read_only_and_cannot_post_one()
    {
        await PageAsync(DashboardSite.Mia, _site.Fixture.Platform);
        await PostAsync(_site.Fixture.Platform, Focus("clarity", "Weekly priorities in the channel every Monday."));
        using var member = new SignedInClient(_site);
        using var page = await member.SignInAsync(DashboardSite.Alice, $"/teams/{_site.Fixture.Platform}");
        var html = await page.Content.ReadAsStringAsync();

        Assert.That(html, Does.Contain("You said:").And.Contain("Weekly priorities in the channel every Monday."));
        Assert.That(html, Does.Not.Contain("Set focus"), "no form for a member");

        var token = WebUtility.HtmlDecode(TokenPattern().Match(html).Groups[1].Value);
        var form = Focus("clarity", "A member's plan");
        form["__RequestVerificationToken"] = token;
        using var forged = await member.SendAsync(new HttpRequestMessage(HttpMethod.Post, $"/teams/{_site.Fixture.Platform}") { Content = new FormUrlEncodedContent(form) });

        Assert.That(forged.StatusCode, Is.Not.EqualTo(HttpStatusCode.OK));
        Assert.That(await _site.Database.ScalarAsync<string>("SELECT string_agg(plan, ',') FROM focus_areas"), Is.EqualTo("Weekly priorities in the channel every Monday."));
    }

    [Test]
    public async Task A_leader_and_an_outsider_cannot_set_a_team_focus()
    {
        var leader = await PageAsync(DashboardSite.Lea, _site.Fixture.Platform);
        Assert.That(leader, Does.Contain("Manager view").And.Not.Contain("Set focus"), "a leader reads results but does not manage the team");
        var store = _site.Bot.Services.GetRequiredService<FocusAreaStore>();

        var byLeader = await store.SetAsync(_site.Fixture.TenantId, _site.Fixture.Platform, _site.Fixture.Leader, "clarity", "A leader's plan", CancellationToken.None);
        var pat = await _site.Database.ScalarAsync<long>("SELECT id FROM people WHERE display_name = 'pat'");
        var byOutsider = await store.SetAsync(_site.Fixture.TenantId, _site.Fixture.Platform, pat, "clarity", "Pat's plan", CancellationToken.None);

        Assert.That((byLeader.Refused, byOutsider.Refused), Is.EqualTo((true, true)));
        Assert.That(await FocusRowsAsync(), Is.Zero);
        Assert.That(await _site.Database.ScalarAsync<long>("SELECT count(*) FROM audit_log WHERE action LIKE 'focus.%'"), Is.Zero);
    }

    [Test]
    public async Task A_driver_under_the_threshold_cannot_be_picked()
    {
        var pat = await _site.Database.ScalarAsync<long>("SELECT id FROM people WHERE display_name = 'pat'");
        await _site.Database.ExecuteAsync($"UPDATE teams SET manager_id = {pat} WHERE id = {_site.Fixture.Payments}");

        var html = await PageAsync(DashboardSite.Pat, _site.Fixture.Payments);
        var store = _site.Bot.Services.GetRequiredService<FocusAreaStore>();
        var outcome = await store.SetAsync(_site.Fixture.TenantId, _site.Fixture.Payments, pat, "clarity", "Anything", CancellationToken.None);

        Assert.That(html, Does.Contain("Fewer than 5 people answered"), "the page says why there is nothing to pick");
        Assert.That(html, Does.Not.Contain("Set focus"));
        Assert.That(html, Does.Not.Contain("1.00 of 5"), "the hidden score is never shown");
        Assert.That((outcome.Saved, outcome.Field), Is.EqualTo((false, "driver")));
        Assert.That(await FocusRowsAsync(), Is.Zero);
    }

    [Test]
    public async Task A_plan_over_the_limit_gets_its_message_next_to_the_field()
    {
        await PageAsync(DashboardSite.Mia, _site.Fixture.Platform);

        var (status, html) = await PostAsync(_site.Fixture.Platform, Focus("clarity", new string('x', FocusAreaStore.MaxPlanLength + 1)));

        Assert.That(status, Is.EqualTo(HttpStatusCode.BadRequest));
        Assert.That(html, Does.Match("id=\"plan-problem\"[^>]*>Keep the plan to 500 characters; it has 501."));
        Assert.That(await FocusRowsAsync(), Is.Zero);
    }
}
