using System.Net;
using AlignmentBot.Scheduler.Pulses;
using AlignmentBot.Tests.Digests;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace AlignmentBot.Tests.Web;

/// <summary>
/// The subtraction attack through the leaders' view's filters and CSV files: take one figure over many teams, take
/// another over fewer, and subtract to reach a team where fewer than 5 answered. Each group's numbers come from
/// <see cref="PulseResults"/> (chat's own SQL: the threshold, next-smallest-group); the filters may not open a way
/// around it. Latest run of <see cref="DigestFixture"/>: Platform 6 answers, Sales 5, Payments 4.
/// </summary>
public class DashboardSubtractionTests
{
    private DashboardSite _site = null!;
    private SignedInClient _client = null!;
    private long _run;

    [SetUp]
    public async Task StartAsync()
    {
        _site = await DashboardSite.StartAsync(new FakeTimeProvider(DigestFixture.At));
        _client = new SignedInClient(_site);
        await _site.Database.ExecuteAsync("UPDATE survey_questions SET driver = CASE position WHEN 1 THEN 'Clarity' WHEN 2 THEN 'Line of sight' ELSE '' END");
        _run = await _site.Database.ScalarAsync<long>("SELECT id FROM survey_runs WHERE status = 'closed' ORDER BY closed_at DESC LIMIT 1");
    }

    [TearDown]
    public async Task StopAsync()
    {
        _client.Dispose();
        await _site.DisposeAsync();
    }

    private async Task<string> LeadAsync(string path)
    {
        using var response = await _client.SignInAsync(DashboardSite.Lea, path);
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK), path);
        // Pages write some characters as references; CSV files have none, so decoding leaves them as they are.
        return WebUtility.HtmlDecode(await response.Content.ReadAsStringAsync());
    }

    /// <summary>A team in the latest run's audience whose <paramref name="answers"/> people all answered 2.</summary>
    private async Task<long> TeamAnsweringAsync(string name, int answers, long? parent)
    {
        var team = await _site.Fixture.Seed.TeamAsync(name);
        await _site.Database.ExecuteAsync($"""
            UPDATE teams SET parent_team_id = {parent?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "NULL"} WHERE id = {team};
            INSERT INTO survey_audiences (survey_id, team_id) SELECT survey_id, {team} FROM survey_runs WHERE id = {_run};
            INSERT INTO responses (run_id, question_id, respondent_key, team_id, value_number)
            SELECT {_run}, q.id, decode(md5('{name}' || i), 'hex'), {team}, 2
            FROM survey_questions q, generate_series(1, {answers}) i WHERE q.kind = 'likert5'
            """);
        return team;
    }

    private static string Row(string csv, string group) =>
        csv.Split("\r\n").Single(line => line.Split(',') is { Length: > 2 } cells && cells[2] == group);

    private async Task<GroupResult> ChatCombinedAsync(params long[] teams)
    {
        var results = _site.Bot.Services.GetRequiredService<PulseResults>();
        var groups = await results.ForTeamsAsync(_run, [.. teams.Select(t => (t, t.ToString(System.Globalization.CultureInfo.InvariantCulture)))], CancellationToken.None);
        return groups!.Single(g => g.TeamIds.Count > 1);
    }

    [Test]
    public async Task The_whole_view_minus_a_filtered_subtree_cannot_reveal_the_team_left_out()
    {
        // Sales sits under Platform: filtering on Platform leaves out Payments (4 answers), all of whose answers the
        // whole view minus that filter would be.
        await _site.Database.ExecuteAsync($"UPDATE teams SET parent_team_id = {_site.Fixture.Platform} WHERE id = {_site.Fixture.Sales}");

        var whole = await LeadAsync("/leaders/heatmap.csv");
        var filtered = await LeadAsync($"/leaders/heatmap.csv?team={_site.Fixture.Platform}");
        var page = await LeadAsync($"/leaders?team={_site.Fixture.Platform}");
        var chat = await ChatCombinedAsync(_site.Fixture.Platform, _site.Fixture.Sales, _site.Fixture.Payments);

        Assert.That(Row(filtered, "The filtered teams together"), Does.Contain(",3.91,"), "Platform and Sales together, (25 + 18) / 11 on Clarity: no team under 5 in it");
        Assert.That(Row(whole, "All teams in your view"), Does.EndWith("withheld,withheld,withheld,withheld,withheld"), "so the whole view is not there to subtract from");
        Assert.That(Row(filtered, "All teams in your view"), Does.EndWith("withheld,withheld,withheld,withheld,withheld"));
        Assert.That(chat.HiddenBecause, Is.Not.Null, "the same rule as chat's “All your teams”");
        Assert.That(page, Does.Contain(chat.HiddenBecause!), "and the page says chat's reason");
        Assert.That(Row(whole, "Payments"), Does.Not.Contain("1.00").And.Contain("n < 5"));
    }

    [Test]
    public async Task Two_filtered_groups_that_differ_by_a_team_under_5_are_not_both_shown()
    {
        // Payments (4), Ops (3) and Legal (3) are each under 5 but 10 together, so chat's rule shows the whole view.
        // Filtering on Platform (with Payments and Ops under it) gives a group whose own small teams add up to 7:
        // chat's per-call rule alone would show it, and the whole view minus it minus Sales is Legal's 3 answers.
        await _site.Database.ExecuteAsync($"UPDATE teams SET parent_team_id = {_site.Fixture.Platform} WHERE id = {_site.Fixture.Payments}");
        var ops = await TeamAnsweringAsync("Ops", 3, _site.Fixture.Platform);
        var legal = await TeamAnsweringAsync("Legal", 3, null);

        var attack = await ChatCombinedAsync(_site.Fixture.Platform, _site.Fixture.Payments, ops);
        var whole = await LeadAsync("/leaders/heatmap.csv");
        var filtered = await LeadAsync($"/leaders/heatmap.csv?team={_site.Fixture.Platform}");
        var page = await LeadAsync($"/leaders?team={_site.Fixture.Platform}");

        Assert.That(attack.HiddenBecause, Is.Null, "the attack is real: chat's rule for that group alone shows it");
        Assert.That(Row(whole, "All teams in your view"), Does.Not.Contain("withheld"), "10 small-team answers together: shown");
        Assert.That(Row(filtered, "The filtered teams together"), Does.EndWith("withheld,withheld,withheld,withheld,withheld"));
        Assert.That(page, Does.Contain("it would let someone subtract their way to a team where fewer than 5 people answered"));
        Assert.That(Row(whole, "Legal"), Does.Contain("n < 5").And.Not.Contain("2.00"));

        // With Legal under Platform too, the filter holds every small team: its difference with the whole view is
        // Sales alone, shown anyway, so the group is shown.
        await _site.Database.ExecuteAsync($"UPDATE teams SET parent_team_id = {_site.Fixture.Platform} WHERE id = {legal}");
        var all = await LeadAsync($"/leaders/heatmap.csv?team={_site.Fixture.Platform}");
        Assert.That(Row(all, "The filtered teams together"), Does.Not.Contain("withheld"));
    }

    [Test]
    public async Task A_run_still_open_is_never_offered_nor_shown_even_when_asked_for_by_id()
    {
        var open = await _site.Database.ScalarAsync<long>($"""
            WITH r AS (INSERT INTO survey_runs (survey_id, status, opened_at, closes_at, audience_size)
                       SELECT survey_id, 'open', '2026-11-29 10:00Z', '2026-12-02 10:00Z', 8 FROM survey_runs WHERE id = {_run} RETURNING id),
                 x AS (INSERT INTO responses (run_id, question_id, respondent_key, team_id, value_number)
                       SELECT r.id, q.id, decode(md5(i::text), 'hex'), {_site.Fixture.Platform}, 1
                       FROM r, survey_questions q, generate_series(1, 7) i WHERE q.kind = 'likert5')
            SELECT id FROM r
            """);

        var page = await LeadAsync($"/leaders?run={open}");
        var csv = await LeadAsync($"/leaders/heatmap.csv?run={open}");

        var runs = page[page.IndexOf("name=\"run\"", StringComparison.Ordinal)..];
        runs = runs[..runs.IndexOf("</select>", StringComparison.Ordinal)];
        Assert.That(runs, Does.Not.Contain($"value=\"{open}\""), "an open run is not in the run filter");
        Assert.That(Row(csv, "Platform"), Does.Contain("4.17").And.Not.Contain("1.00"), "the latest closed run instead");
        Assert.That(csv, Does.Not.Contain("2026-11-29"));
    }

    [Test]
    public async Task A_filter_for_a_single_team_adds_no_group_of_its_own()
    {
        var csv = await LeadAsync($"/leaders/heatmap.csv?team={_site.Fixture.Payments}");

        Assert.That(csv, Does.Not.Contain("The filtered teams together"));
        Assert.That(Row(csv, "Payments"), Does.Contain("n < 5"));
        Assert.That(csv, Does.Not.Contain(",Platform,"), "only the filtered team's row");
    }
}
