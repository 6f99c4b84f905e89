using System.Net;
using AlignmentBot.Tests.Digests;
using Microsoft.Extensions.Time.Testing;

namespace AlignmentBot.Tests.Web;

/// <summary>
/// The privacy law on the dashboard, through the services chat uses: comments only from the comment threshold,
/// results only after a run closes (the threshold itself: <see cref="DashboardAccessTests"/>).
/// </summary>
public class DashboardPrivacyTests
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

    /// <summary>Adds a free-text question to Platform's latest run with this many comments (from its first respondents).</summary>
    private async Task CommentsAsync(int count)
    {
        await _site.Database.ExecuteAsync($"""
            WITH s AS (SELECT id FROM surveys LIMIT 1),
                 q AS (INSERT INTO survey_questions (survey_id, position, kind, prompt) SELECT id, 4, 'text', 'Anything else?' FROM s RETURNING id),
                 latest AS (SELECT id FROM survey_runs ORDER BY closed_at DESC LIMIT 1),
                 keys AS (SELECT DISTINCT respondent_key FROM responses WHERE run_id = (SELECT id FROM latest) AND team_id = {_site.Fixture.Platform} LIMIT {count})
            INSERT INTO responses (run_id, question_id, respondent_key, team_id, value_text)
            SELECT (SELECT id FROM latest), (SELECT id FROM q), k.respondent_key, {_site.Fixture.Platform}, 'comment number ' || row_number() OVER ()
            FROM keys k
            """);
    }

    [Test]
    public async Task Comments_under_the_comment_threshold_are_not_shown_to_the_manager()
    {
        await CommentsAsync(6);

        using var page = await _client.SignInAsync(DashboardSite.Mia, $"/teams/{_site.Fixture.Platform}");
        var html = await page.Content.ReadAsStringAsync();

        Assert.That(html, Does.Contain("Anything else?"), "the question is there");
        Assert.That(html, Does.Not.Contain("comment number"), "6 comments, the threshold is 10");
        Assert.That(html, Does.Contain("Comments are shown only when enough people wrote one"));
    }

    [Test]
    public async Task Comments_from_the_comment_threshold_on_are_shown_to_the_manager_and_never_to_a_member()
    {
        await _site.Database.ExecuteAsync("UPDATE surveys SET comment_threshold = 5");
        await CommentsAsync(6);

        using var manager = await _client.SignInAsync(DashboardSite.Mia, $"/teams/{_site.Fixture.Platform}");
        using var memberClient = new SignedInClient(_site);
        using var member = await memberClient.SignInAsync(DashboardSite.Alice, $"/teams/{_site.Fixture.Platform}");

        Assert.That(await manager.Content.ReadAsStringAsync(), Does.Contain("comment number 1").And.Contain("comment number 6"));
        Assert.That(await member.Content.ReadAsStringAsync(), Does.Not.Contain("comment number"));
    }

    [Test]
    public async Task An_open_run_shows_nothing_until_it_closes()
    {
        await _site.Database.ExecuteAsync($"""
            WITH r AS (INSERT INTO survey_runs (survey_id, status, opened_at, closes_at, audience_size)
                       SELECT id, 'open', '2026-11-29 10:00Z', '2026-12-02 10:00Z', 8 FROM surveys LIMIT 1 RETURNING id)
            INSERT INTO responses (run_id, question_id, respondent_key, team_id, value_number)
            SELECT r.id, q.id, decode(md5(i::text), 'hex'), {_site.Fixture.Platform}, 2
            FROM r, survey_questions q, generate_series(1, 7) i WHERE q.kind = 'likert5'
            """);

        using var page = await _client.SignInAsync(DashboardSite.Mia, $"/teams/{_site.Fixture.Platform}");
        var html = await page.Content.ReadAsStringAsync();

        Assert.That(page.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(html, Does.Not.Contain("2.00"), "seven answers of 2 in a run still open");
        Assert.That(html, Does.Contain("4.08"), "the latest closed run is still the latest shown");
    }
}
