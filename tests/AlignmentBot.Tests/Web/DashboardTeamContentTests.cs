using System.Net;
using AlignmentBot.Tests.Digests;
using Microsoft.Extensions.Time.Testing;

namespace AlignmentBot.Tests.Web;

/// <summary>
/// The rest of a team's dashboard, from <see cref="DigestFixture"/>'s known week: each key result's check-in history
/// (not anonymous: who checked in is shown), the week's wins as the digest counts them, and the line of sight from
/// key result to team objective to company objective; for members and managers alike, never for another team.
/// </summary>
public class DashboardTeamContentTests
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

    private async Task<string> PageAsync(Teams.Fakes.FakeEntraId.SignedInUser user, string path)
    {
        using var response = await _client.SignInAsync(user, path);
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK), path);
        // Blazor writes “, ” and € as character references: the assertions read the text.
        return WebUtility.HtmlDecode(await response.Content.ReadAsStringAsync());
    }

    [Test]
    public async Task A_member_sees_each_key_results_check_ins_newest_first_with_who_made_them_and_the_blocker_noted()
    {
        await _site.Database.ExecuteAsync("UPDATE checkins SET blocker = 'Waiting on the pricing page' WHERE value = 9 AND confidence = 3");

        var html = await PageAsync(DashboardSite.Alice, $"/teams/{_site.Fixture.Platform}");

        var arr = html[html.IndexOf("Check-ins of “ARR”", StringComparison.Ordinal)..];
        arr = arr[..arr.IndexOf("</table>", StringComparison.Ordinal)];
        Assert.That(arr.IndexOf("2026-11-27", StringComparison.Ordinal), Is.LessThan(arr.IndexOf("2026-11-20", StringComparison.Ordinal)), "newest first");
        Assert.That(arr, Does.Contain("60 k€").And.Contain("8/10").And.Contain("+20").And.Contain("alice"));
        Assert.That(html, Does.Contain("Waiting on the pricing page"), "Churn's last check-in noted a blocker");
        Assert.That(html, Does.Contain("bob"), "Deploys was checked in by bob");
        Assert.That(html, Does.Contain("Backlog items closed</strong> <span class=\"muted\">0 check-ins · last never"));
    }

    [Test]
    public async Task The_wins_of_the_week_are_the_digests_biggest_gains_and_confidence_raised()
    {
        var html = await PageAsync(DashboardSite.Mia, $"/teams/{_site.Fixture.Platform}");
        var wins = html[html.IndexOf("Wins of the week", StringComparison.Ordinal)..];
        wins = wins[..wins.IndexOf("</section>", StringComparison.Ordinal)];

        // ARR went 40 → 60 of 100 this week (+20 points), Churn 9.5 → 9 on its way from 10 to 5 (+10 points).
        Assert.That(wins, Does.Contain("<strong>ARR</strong> +20 points of progress this week"));
        Assert.That(wins, Does.Contain("<strong>Churn</strong> +10 points of progress this week"));
        Assert.That(wins, Does.Contain("<strong>ARR</strong> confidence up to 8/10 at this week's check-in"));
        Assert.That(wins, Does.Not.Contain("Deploys"), "no check-in this week");
    }

    [Test]
    public async Task The_line_of_sight_runs_from_the_company_objective_to_the_team_objective_to_its_key_results()
    {
        var html = await PageAsync(DashboardSite.Alice, $"/teams/{_site.Fixture.Platform}");
        var sight = html[html.IndexOf("id=\"sight\"", StringComparison.Ordinal)..];

        var company = sight.IndexOf("Grow revenue", StringComparison.Ordinal);
        var objective = sight.IndexOf("Win mid-market", StringComparison.Ordinal);
        var keyResult = sight.IndexOf("Churn", StringComparison.Ordinal);
        Assert.That(company, Is.GreaterThan(0));
        Assert.That(objective, Is.GreaterThan(company));
        Assert.That(keyResult, Is.GreaterThan(objective));
        Assert.That(sight, Does.Contain("Not linked to a company objective"), "“Tidy the backlog” serves none");
    }

    [Test]
    public async Task The_check_ins_download_as_csv_for_the_team_and_never_for_someone_outside_it()
    {
        using var csv = await _client.SignInAsync(DashboardSite.Alice, $"/teams/{_site.Fixture.Platform}/checkins.csv");
        var text = await csv.Content.ReadAsStringAsync();
        using var outsider = new SignedInClient(_site);
        using var refused = await outsider.SignInAsync(DashboardSite.Pat, $"/teams/{_site.Fixture.Platform}/checkins.csv");

        Assert.That(csv.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(text, Does.StartWith("key result,date,value,unit,confidence,blocker noted,checked in by\r\n"));
        Assert.That(text, Does.Contain("ARR,2026-11-27,60,k€,8,,alice\r\n").And.Contain("Deploys,2026-11-15,10,,5,,bob\r\n"));
        Assert.That(refused.StatusCode, Is.EqualTo(HttpStatusCode.Forbidden));
        Assert.That(await refused.Content.ReadAsStringAsync(), Does.Not.Contain("ARR"));
    }
}
