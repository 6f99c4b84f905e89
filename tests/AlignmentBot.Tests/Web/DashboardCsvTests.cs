using AlignmentBot.Bot.Web;
using AlignmentBot.Bot.Web.Data;
using AlignmentBot.Scheduler.Digests;
using AlignmentBot.Scheduler.Okrs;

namespace AlignmentBot.Tests.Web;

/// <summary>The CSV writer on its own: quoting, and a cell a spreadsheet would run as a formula defused.</summary>
public class DashboardCsvTests
{
    private static readonly DateTimeOffset At = new(2026, 3, 2, 9, 0, 0, TimeSpan.Zero);

    private static TeamDashboard.Content With(string title, string owner) => new(new TeamDigest(1, "Team", "UTC", At,
        [new KeyResultLine(1, title, "Objective, with a comma", owner, false, 0, 10, 5, "", 7, KeyResultHealth.OnTrack, 0.5, null, null, null, false, false)],
        [], []), null, null);

    [Test]
    public void A_cell_that_starts_like_a_formula_is_written_as_text()
    {
        var csv = DashboardCsv.Write(DashboardCsv.KeyResults, With("=HYPERLINK(\"http://evil.example\")", "@owner"));
        var row = csv.Split("\r\n")[1];

        Assert.That(row, Does.StartWith("\"'=HYPERLINK(\"\"http://evil.example\"\")\","));
        Assert.That(row, Does.Contain(",'@owner,"));
        Assert.That(row, Does.Contain("\"Objective, with a comma\""));
    }

    [Test]
    public void Only_the_dashboards_two_tables_exist()
    {
        Assert.That(DashboardCsv.IsTable("key-results") && DashboardCsv.IsTable("pulses"), Is.True);
        Assert.That(DashboardCsv.IsTable("responses"), Is.False);
    }
}
