using AlignmentBot.Scheduler.Delivery;
using AlignmentBot.Scheduler.Nudges;
using AlignmentBot.Scheduler.Okrs;
using AlignmentBot.Tests.Pulses;
using AlignmentBot.Tests.Support;
using Microsoft.Extensions.Time.Testing;

namespace AlignmentBot.Tests.Okrs;

/// <summary>The ladder's calendar rules, and a tenant's own settings taking effect in planning.</summary>
public class NudgeRulesTests
{
    private static readonly TimeZoneInfo London = TimeZoneInfo.FindSystemTimeZoneById("Europe/London");
    private static readonly TimeZoneInfo NewYork = TimeZoneInfo.FindSystemTimeZoneById("America/New_York");

    [Test]
    public void Working_days_skip_the_weekend_and_keep_the_local_time_across_a_daylight_saving_change()
    {
        // Thu 4 Nov 2027 09:00 in New York (EDT, 13:00 UTC) + 2 working days = Mon 8 Nov 09:00 (EST, 14:00 UTC).
        var step1 = new DateTimeOffset(2027, 11, 4, 13, 0, 0, TimeSpan.Zero);

        Assert.That(NudgeLadder.AddWorkingDays(step1, 2, NewYork), Is.EqualTo(new DateTimeOffset(2027, 11, 8, 14, 0, 0, TimeSpan.Zero)));
    }

    [TestCase("2027-11-02T08:59:00Z", false, "before 09:00")]
    [TestCase("2027-11-02T09:00:00Z", true, "09:00 London")]
    [TestCase("2027-11-02T16:59:00Z", true, "16:59")]
    [TestCase("2027-11-02T17:00:00Z", false, "the day ends at 17:00")]
    [TestCase("2027-11-06T10:00:00Z", false, "Saturday")]
    public void Working_hours_are_the_recipients_own(string instant, bool inside, string why) =>
        Assert.That(NudgeLadder.InWorkingHours(DateTimeOffset.Parse(instant, System.Globalization.CultureInfo.InvariantCulture), London, RhythmSettings.Default), Is.EqualTo(inside), why);

    [Test]
    public async Task A_tenants_own_cap_grace_and_hours_are_what_planning_uses()
    {
        await using var database = await TestDatabase.CreateAsync();
        var seed = await new PulseSeed(database).TenantAsync("Europe/London");
        await database.ExecuteAsync("""UPDATE tenants SET settings = '{"rhythm": {"graceDays": 3, "weeklyCap": 1, "workdayStart": "07:30", "workdayEnd": "12:00"}}'""");
        var team = await seed.TeamAsync("Platform");
        var owner = await seed.PersonAsync(team, "ana", "Europe/London");
        var okrs = new OkrSeed(database, seed);
        var objective = await okrs.ObjectiveAsync(team, "Make onboarding effortless");
        // Set up Mon 25 Oct 00:00 and 01:00 UTC: overdue 7 + 3 days later, Thu 4 Nov 00:00 / 01:00.
        var first = await okrs.KeyResultAsync(objective, owner, "first", new DateTimeOffset(2027, 10, 25, 0, 0, 0, TimeSpan.Zero));
        await okrs.KeyResultAsync(objective, owner, "second", new DateTimeOffset(2027, 10, 25, 1, 0, 0, TimeSpan.Zero));
        await using var dataSource = database.CreateDataSource();
        var planner = new NudgePlanner(dataSource, new Outbox(dataSource, new FakeTimeProvider()));
        async Task<int> PlanAsync(int day, int hour, int minute) => await planner.PlanAsync(new DateTimeOffset(2027, 11, day, hour, minute, 0, TimeSpan.Zero), CancellationToken.None);

        Assert.That(await PlanAsync(3, 10, 0), Is.Zero, "not overdue yet with three days' grace");
        Assert.That(await PlanAsync(4, 7, 15), Is.Zero, "before the tenant's 07:30 start");
        Assert.That(await PlanAsync(4, 7, 30), Is.EqualTo(1), "one message: the first key result, with the second folded in");
        Assert.That(await database.ScalarAsync<string>("SELECT string_agg(outcome, ',' ORDER BY key_result_id) FROM nudges"), Is.EqualTo("sent,folded"));
        Assert.That(await database.ScalarAsync<long>($"SELECT (payload->>'keyResultId')::bigint FROM deliveries"), Is.EqualTo(first));

        // Step 2 falls due Mon 8 Nov 07:30 for both; the cap of 1 in 7 days holds them back.
        Assert.That(await PlanAsync(8, 7, 30), Is.Zero);
        Assert.That(await database.ScalarAsync<long>("SELECT count(*) FROM nudges WHERE step = 2 AND outcome = 'held'"), Is.EqualTo(2));
        Assert.That(await PlanAsync(11, 7, 30), Is.EqualTo(1), "a week after the first message, the held ones go out together");
        Assert.That(await database.ScalarAsync<string>("SELECT string_agg(outcome, ',' ORDER BY key_result_id) FROM nudges WHERE step = 2"), Is.EqualTo("sent,folded"));
    }
}
