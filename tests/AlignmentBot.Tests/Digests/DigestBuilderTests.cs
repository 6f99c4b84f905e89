using AlignmentBot.Scheduler.Digests;
using AlignmentBot.Scheduler.Okrs;
using AlignmentBot.Tests.Support;

namespace AlignmentBot.Tests.Digests;

/// <summary>The digest's numbers from a known week (see <see cref="DigestFixture"/> for the data behind each figure).</summary>
public class DigestBuilderTests
{
    private TestDatabase _database = null!;
    private DigestFixture _fixture = null!;
    private DigestBuilder _builder = null!;

    [SetUp]
    public async Task StartAsync()
    {
        _database = await TestDatabase.CreateAsync();
        _fixture = await new DigestFixture(_database).CreateAsync();
        _builder = new DigestBuilder(_database.CreateDataSource());
    }

    [TearDown]
    public async Task StopAsync() => await _database.DisposeAsync();

    private async Task<TeamDigest> TeamAsync(long team) =>
        (await _builder.BuildAsync(_fixture.TenantId, [team], DigestFixture.At, CancellationToken.None)).Single();

    [Test]
    public async Task Key_results_carry_progress_change_since_last_week_health_and_the_expected_linear_progress()
    {
        var digest = await TeamAsync(_fixture.Platform);
        var k = digest.KeyResults.ToDictionary(x => x.Title);

        Assert.Multiple(() =>
        {
            // ARR: 60 of 100; a week ago (last check-in at or before Mon 23 Nov 09:00) it was 40.
            Assert.That((k["ARR"].Progress, k["ARR"].Change, k["ARR"].Health), Is.EqualTo((0.6, 20m, KeyResultHealth.OnTrack)));
            Assert.That(k["ARR"].Expected, Is.EqualTo(60.375 / 91).Within(1e-9), "1 Oct → 31 Dec, 60 days and 9 hours in");
            Assert.That(k["ARR"].Behind, Is.False);
            // Churn goes down from 10 to 5: at 9 it is 20 % there; 9.5 a week ago; 66 % expected → 46 points behind.
            Assert.That((k["Churn"].Progress, k["Churn"].Change, k["Churn"].Health), Is.EqualTo((0.2, -0.5m, KeyResultHealth.OffTrack)));
            Assert.That(k["Churn"].ProgressGain, Is.EqualTo(0.1).Within(1e-9));
            Assert.That(k["Churn"].Behind, Is.True);
            // Deploys: last check-in Sun 15 Nov, cadence 7 + grace 1 → overdue since 23 Nov: stale overrides its confidence of 5.
            Assert.That((k["Deploys"].Change, k["Deploys"].Health, k["Deploys"].OwnerAway), Is.EqualTo((0m, KeyResultHealth.Stale, true)));
            Assert.That(k["Deploys"].SilentForTwoCadences, Is.True, "14 days and 21 hours without a check-in");
            // Created on Thursday: no value a week ago, no confidence yet, not overdue.
            Assert.That((k["Backlog items closed"].Change, k["Backlog items closed"].Health), Is.EqualTo(((decimal?)null, KeyResultHealth.Unknown)));
        });
        Assert.That(digest.Stale.Select(s => (s.Title, s.Owner)), Is.EqualTo(new[] { ("Deploys", (string?)"bob") }));
        Assert.That(digest.BiggestGains.Select(g => g.Title), Is.EqualTo(new[] { "ARR", "Churn" }), "+20 and +10 points");
        Assert.That(digest.ConfidenceUp.Select(g => g.Title), Is.EqualTo(new[] { "ARR" }), "6 → 8 this week; Churn went 4 → 3");
        Assert.That(digest.Health, Is.EqualTo(KeyResultHealth.Stale), "a quarter of its key results are stale");
    }

    [Test]
    public async Task The_line_of_sight_names_the_company_objective_each_team_objective_serves()
    {
        var digest = await TeamAsync(_fixture.Platform);

        Assert.That(digest.Objectives, Is.EqualTo(new[] { new ObjectiveLine("Tidy the backlog", null), new ObjectiveLine("Win mid-market", "Grow revenue") }));
    }

    [Test]
    public async Task Pulse_results_have_the_exact_score_participation_eNPS_and_trend_against_the_previous_run()
    {
        var digest = await TeamAsync(_fixture.Platform);

        var latest = digest.ClosedThisWeek.Single();
        Assert.Multiple(() =>
        {
            Assert.That(latest.AlignmentScore, Is.EqualTo(4.08m), "49 / 12 likert answers");
            Assert.That(latest.PreviousScore, Is.EqualTo(3.40m), "34 / 10 two weeks before");
            Assert.That(latest.Trend, Is.EqualTo(0.68m));
            Assert.That((latest.Respondents, latest.Invited, latest.Participation), Is.EqualTo((6, 8, 75.0m)));
            Assert.That(latest.Enps, Is.EqualTo(16.7m), "3 promoters, 2 detractors of 6");
            Assert.That(latest.FavourablePercent, Is.EqualTo(83.3m), "10 of 12 answers are 4 or 5");
            Assert.That(latest.HiddenBecause, Is.Null);
        });
        Assert.That(digest.Runs.Select(r => r.AlignmentScore), Is.EqualTo(new decimal?[] { 3.40m, 4.08m }), "the trend, oldest first");
    }

    [Test]
    public async Task A_team_under_the_threshold_gets_the_reason_and_its_participation_but_no_number_from_its_answers()
    {
        var latest = (await TeamAsync(_fixture.Payments)).Runs[^1];

        Assert.That(latest.HiddenBecause, Does.StartWith("Fewer than 5 people answered"));
        Assert.That(new[] { latest.AlignmentScore, latest.FavourablePercent, latest.Enps, latest.Trend }, Has.All.Null);
        Assert.That(latest.Participation, Is.EqualTo(66.7m), "4 of 6: how many, never who or what");
    }

    [Test]
    public async Task Each_teams_risk_flags_name_their_rule()
    {
        var teams = (await _builder.BuildAsync(_fixture.TenantId, null, DigestFixture.At, CancellationToken.None)).ToDictionary(t => t.Team);

        Assert.That(teams.Keys, Is.EquivalentTo(new[] { "Platform", "Sales", "Payments" }));
        Assert.That(teams["Platform"].Flags, Is.EqualTo(new[]
        {
            new RiskFlag("More than 20 points behind expected linear progress", "Churn"),
            new RiskFlag("No check-ins for two cadences", "Deploys"),
        }));
        Assert.That(teams["Sales"].Flags, Is.EqualTo(new[]
        {
            new RiskFlag("Participation under 60 %", "50 % answered “Alignment pulse”"),
            new RiskFlag("Alignment score down 0.5 or more against the previous run", "4.20 → 3.60"),
        }));
        Assert.That(teams["Payments"].Flags, Is.Empty, "66.7 % answered; its hidden score has no trend to fall");
    }
}
