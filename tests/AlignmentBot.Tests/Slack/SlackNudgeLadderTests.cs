using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;
using AlignmentBot.Scheduler.Nudges;
using AlignmentBot.Tests.Slack.Fakes;
using AlignmentBot.Tests.Support;
using Microsoft.Extensions.DependencyInjection;
using Quartz;

namespace AlignmentBot.Tests.Slack;

/// <summary>
/// The nudge ladder in a Slack workspace, as the Teams suite shows it (NudgeScenarioTests): the nudge scan fired by the
/// real Quartz scheduler every hour of fake time, the outbox posting to the fake Slack Web API, and the assertions made
/// on what Slack received (to whom, when in their own zone, which step): each owner step, the cap, quiet hours in the
/// person's zone, and the manager's one message.
/// </summary>
public class SlackNudgeLadderTests
{
    // Friday 12 February 2027, 00:00 UTC; London is on GMT and Tokyo on JST all along (no clock changes).
    private static readonly DateTimeOffset Start = new(2027, 2, 12, 0, 0, 0, TimeSpan.Zero);
    private static readonly DateTimeOffset End = new(2027, 2, 24, 18, 0, 0, TimeSpan.Zero);
    private static readonly JobKey Scan = new(NudgeScanJob.Name, NudgeScanJob.Group);

    private static readonly Dictionary<string, string> Zones = new(StringComparer.Ordinal)
    {
        ["U0ANA"] = "Europe/London", ["U0KEN"] = "Asia/Tokyo", ["U0MGR"] = "Europe/London",
    };

    private SlackHarness _h = null!;
    private ScanDone _done = null!;

    [SetUp]
    public async Task StartAsync()
    {
        _h = await SlackHarness.StartAsync(SlackSeed.Settings, Start);
        var seed = await new SlackSeed(_h).TenantAsync("Europe/London");
        var team = await seed.TeamAsync("Platform", "C0PLATFORM");
        var people = new Dictionary<string, long>(StringComparer.Ordinal);
        foreach (var (user, zone) in Zones)
        {
            people[user] = await seed.PersonAsync(team, user, zone);
        }

        await _h.Database.ExecuteAsync($"UPDATE teams SET manager_id = {people["U0MGR"]} WHERE id = {team}");
        // Weekly check-ins with a day's grace: each is overdue 8 days after it was set up. ana's four fall due on
        // Tuesday 16 Feb at 10:00-13:00 London; ken's on Saturday 13 Feb at 18:00 Tokyo, a weekend evening.
        for (var i = 1; i <= 4; i++)
        {
            await seed.KeyResultAsync(team, people["U0ANA"], $"A{i}", new DateTimeOffset(2027, 2, 8, 9 + i, 0, 0, TimeSpan.Zero));
        }

        await seed.KeyResultAsync(team, people["U0KEN"], "K1", new DateTimeOffset(2027, 2, 5, 9, 0, 0, TimeSpan.Zero));

        // Only this test's firings run the scan: the real-time cron is paused, and each firing is waited for.
        var scheduler = await _h.Bot.Services.GetRequiredService<ISchedulerFactory>().GetScheduler();
        await scheduler.PauseTrigger(new TriggerKey(NudgeScanJob.Name, NudgeScanJob.Group));
        _done = new ScanDone();
        scheduler.ListenerManager.AddJobListener(_done, [GroupMatcher<JobKey>.GroupEquals(NudgeScanJob.Group)]);
    }

    [TearDown]
    public async Task StopAsync()
    {
        _done.Dispose();
        await _h.DisposeAsync();
    }

    /// <summary>Every hour of fake time: the scan fired through Quartz and finished, then the outbox sends what fell due.</summary>
    private async Task RunAsync()
    {
        var scheduler = await _h.Bot.Services.GetRequiredService<ISchedulerFactory>().GetScheduler();
        for (var at = Start; at <= End; at = at.AddHours(1))
        {
            _h.Clock.Advance(at - _h.Clock.GetUtcNow());
            await scheduler.TriggerJob(Scan);
            Assert.That(await _done.WaitAsync(TimeSpan.FromSeconds(60)), Is.True, $"the scan fired at {at:O} finished");
            await FakeClockDispatch.SendDueAsync(_h.Database, _h.Clock);
        }
    }

    private static string Json(FakeSlackMessage m) =>
        m.Body.ToJsonString(new JsonSerializerOptions { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping });

    private static string Recipient(FakeSlackMessage m) => "U" + m.Channel[1..];

    private static DateTimeOffset Local(FakeSlackMessage m) => TimeZoneInfo.ConvertTime(m.At, TimeZoneInfo.FindSystemTimeZoneById(Zones[Recipient(m)]));

    /// <summary>One line per message Slack received: the recipient's local time, who, and what (key result and step, or the manager's summary).</summary>
    private static string Line(FakeSlackMessage m)
    {
        var json = Json(m);
        var what = Regex.Match(json, "“([^”]+)” is overdue.*?Step (\\d) of 3") is { Success: true } owner
            ? $"{owner.Groups[1].Value} step {owner.Groups[2].Value}"
            : Regex.Match(json, "Platform: (\\d+) key results? needs? an update") is { Success: true } summary ? $"summary of {summary.Groups[1].Value}" : "?";
        var folded = Regex.Match(json, "And (\\d+) more key results? needs? an update") is { Success: true } more ? $" (+{more.Groups[1].Value} folded)" : "";
        return $"{Local(m).ToString("ddd dd MMM HH:mm", CultureInfo.InvariantCulture)} {Recipient(m)} {what}{folded}";
    }

    [Test]
    public async Task The_ladder_in_slack_each_owner_step_the_cap_quiet_hours_in_the_persons_zone_and_one_manager_message()
    {
        await RunAsync();

        // A person's first message goes to their user id; Slack answers with their DM channel, where the rest are posted.
        var nudges = _h.Slack.Messages.Where(m => m.Version == 1 && m.Channel.StartsWith('D')).OrderBy(m => m.At).ThenBy(m => m.Channel, StringComparer.Ordinal).ToList();
        var timeline = string.Join('\n', nudges.Select(Line));
        await TestContext.Out.WriteLineAsync(timeline);

        Assert.That(timeline, Is.EqualTo("""
            Mon 15 Feb 09:00 U0KEN K1 step 1
            Tue 16 Feb 10:00 U0ANA A1 step 1
            Tue 16 Feb 11:00 U0ANA A2 step 1
            Tue 16 Feb 12:00 U0ANA A3 step 1
            Tue 16 Feb 13:00 U0ANA A4 step 1
            Wed 17 Feb 09:00 U0KEN K1 step 2
            Thu 18 Feb 09:00 U0MGR summary of 5
            Thu 18 Feb 10:00 U0ANA A1 step 2
            Tue 23 Feb 10:00 U0ANA A2 step 2 (+2 folded)
            """.ReplaceLineEndings("\n")), """
            Times are each recipient's own. ken: K1 fell due on Saturday 18:00 Tokyo, so step 1 waited for Monday 09:00 Tokyo
            (Sunday midnight in London, where the tenant is); step 2 two working days later. The manager got one message, at
            09:00 London on the working day after K1's step 2, listing all five overdue key results, K1 escalated. ana: four
            step 1s on Tuesday, A1's step 2 on Thursday made five in seven days, so A2-A4's step 2 were held by the cap until
            Tuesday 23 Feb 10:00, when the first of them left the week: one message, A3 and A4 folded in.
            """);

        Assert.Multiple(() =>
        {
            Assert.That(nudges.Select(Json), Has.All.Contain("Sent because:").And.All.Contain("rule: overdue check-in"), "every nudge says why");
            Assert.That(nudges.Where(m => Local(m) is var local && (local.DayOfWeek is DayOfWeek.Saturday or DayOfWeek.Sunday || local.Hour < 9 || local.Hour >= 17)).Select(Line),
                Is.Empty, "every message inside the recipient's working hours, in their own zone");
            Assert.That(nudges.Where(m => nudges.Count(n => n.PostedTo == m.PostedTo && n.At > m.At - TimeSpan.FromDays(7) && n.At <= m.At) > 5).Select(Line),
                Is.Empty, "no one gets more than 5 in any 7 days");
            Assert.That(nudges.Select(m => m.PostedTo).Distinct().Order(StringComparer.Ordinal), Is.EqualTo(new[] { "D0ANA", "D0KEN", "U0ANA", "U0KEN", "U0MGR" }),
                "chat.postMessage to the user id first, then to the DM channel Slack answered with");
            Assert.That(nudges.Where(m => m.At.Hour == 0).Select(m => m.At.ToString("ddd HH:mm 'UTC'", CultureInfo.InvariantCulture)), Is.EqualTo(new[] { "Mon 00:00 UTC", "Wed 00:00 UTC" }),
                "ken's nudges at 09:00 Tokyo: hours when London, the tenant's zone, is closed");
            var summary = Json(nudges.Single(m => Recipient(m) == "U0MGR"));
            Assert.That(Regex.Count(summary, "reminded twice \\(step 3 of 3\\)"), Is.EqualTo(1), "K1 escalated; the others listed with their state");
            Assert.That(summary, Does.Match("\"K1\"[^—]*— U0KEN ·[^\"]*reminded twice \\(step 3 of 3\\)").And.Match("\"A2\"[^—]*— U0ANA ·[^\"]*owner reminded, not yet escalated"),
                "the summary lists each key result with its owner and where it is on the ladder");
        });
    }

    /// <summary>Counts the nudge scan's runs that the test fired (not the cron's), so each firing can be waited for.</summary>
    private sealed class ScanDone : IJobListener, IDisposable
    {
        private readonly SemaphoreSlim _runs = new(0);

        public string Name => "slack-nudge-ladder-test";

        public ValueTask JobToBeExecuted(IJobExecutionContext context, CancellationToken cancellationToken = default) => ValueTask.CompletedTask;

        public ValueTask JobExecutionVetoed(IJobExecutionContext context, CancellationToken cancellationToken = default) => ValueTask.CompletedTask;

        public ValueTask JobProgressChanged(IJobExecutionContext context, Quartz.Extensibility.FireInstanceProgress progress, CancellationToken cancellationToken = default) =>
            ValueTask.CompletedTask;

        public ValueTask JobWasExecuted(IJobExecutionContext context, JobExecutionException? jobException, CancellationToken cancellationToken = default)
        {
            if (context.JobDetail.Key.Equals(Scan) && !context.Trigger.Key.Equals(new TriggerKey(NudgeScanJob.Name, NudgeScanJob.Group)))
            {
                _runs.Release();
            }

            return ValueTask.CompletedTask;
        }

        public Task<bool> WaitAsync(TimeSpan timeout) => _runs.WaitAsync(timeout);

        public void Dispose() => _runs.Dispose();
    }
}
