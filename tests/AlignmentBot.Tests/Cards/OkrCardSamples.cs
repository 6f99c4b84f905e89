using AlignmentBot.Bot.Cards;
using AlignmentBot.Bot.Okrs;
using AlignmentBot.Scheduler.Okrs;
using AlignmentBot.Scheduler.Okrs.Dependencies;

namespace AlignmentBot.Tests.Cards;

/// <summary>The OKR cards at their largest: long titles, blockers, 40 key results, every state.</summary>
public static class OkrCardSamples
{
    private static readonly DateTimeOffset Now = new(2027, 11, 4, 10, 0, 0, TimeSpan.Zero);

    public static KeyResultView KeyResult(int i, bool overdue = false, string unit = "%") => new(
        i, $"Key result {i}: raise weekly activation of new workspaces across every onboarding path", "Make onboarding effortless for every new customer",
        "Win the mid-market", 3, "Platform", 10 + i, $"Owner {i}", "Europe/London", i % 5 == 0 ? Now.AddDays(3).UtcDateTime : null,
        40, 60, 45 + i % 10, unit, i % 11, 7, Now.AddDays(50).UtcDateTime, overdue ? Now.AddDays(-12).UtcDateTime : Now.AddDays(-2).UtcDateTime,
        overdue ? Now.AddDays(-4).UtcDateTime : Now.AddDays(6).UtcDateTime, i % 4 == 0 ? Now.AddDays(1).UtcDateTime : null, "Europe/London",
        i % 3 == 0 ? new string('b', 300) : null);

    public static IEnumerable<(string Name, Card Card)> All()
    {
        var many = Enumerable.Range(1, 40).Select(i => KeyResult(i, overdue: i % 2 == 0)).ToList();
        yield return ("okrs: 40 key results", OkrCards.Mine(many, Now));
        yield return ("okrs: none", OkrCards.Mine([], Now));
        yield return ("okrs team: 40 key results with blockers", TeamCards.Team([.. many.Select(k => (k, true))], 11, Now));
        yield return ("check-in (nudge, overdue, folded)", OkrCards.CheckIn(KeyResult(2, overdue: true), Now,
            reason: "Sent because: “Key result 2” is overdue — no check-in for 12 days (check-ins are weekly), with 1 day's grace (rule: overdue check-in). Step 1 of 3.",
            alsoDue: [.. many.Take(6).Select(k => k.Title)]));
        yield return ("check-in refused, values kept", OkrCards.CheckIn(KeyResult(3), Now, new CheckinValues(140, 7, "waiting on legal"), "A percentage is from 0 to 100; you entered 140."));
        yield return ("checked in", OkrCards.CheckedIn(KeyResult(4, unit: "users"), Now));
        yield return ("snoozed", OkrCards.Snoozed(KeyResult(5), Now.AddDays(3)));
        yield return ("not yours", OkrCards.NotYours());
        var links = Dependencies(40);
        yield return ("okrs: 40 key results with dependencies", OkrCards.Mine(many, Now, links));
        yield return ("okrs team: 40 key results with dependencies", TeamCards.Team([.. many.Select(k => (k, true))], 11, Now, links));
        yield return ("check-in with what it waits for and what waits for it", OkrCards.CheckIn(KeyResult(1, overdue: true), Now, dependencies: links));
        yield return ("checked in: unblocks", OkrCards.CheckedIn(KeyResult(1), Now, DependencyText.Unblocks(links, [.. links.Select(l => l with { State = DependencyState.Fine })], 1)));
        yield return ("dependency slipped: 40 waiting on 12", DependencyCards.Slipped(links, [.. many.Take(12)], Now,
            "Sent because: key results in Growth wait for yours, and it is stale (rule: a dependency is at risk when the key result waited on is at risk, off track or stale)."));
        yield return ("dependency slipped: one", DependencyCards.Slipped(links.Take(1).ToList(), [KeyResult(1)], Now, "Sent because: a test"));
        yield return ("dependency resolved: 40", DependencyCards.Resolved(links, Now, "Sent because: your key result waits for this one (rule: dependency resolved)."));
        yield return ("dependency resolved: one", DependencyCards.Resolved(links.Take(1).ToList(), Now, "Sent because: a test"));
        yield return ("manager nudge: 40 overdue", TeamCards.ManagerNudge("Platform", [.. many.Select(k => k with { OverdueSince = Now.AddDays(-4).UtcDateTime })],
            many.Where(k => k.Id % 3 == 0).Select(k => k.Id).ToHashSet(), Now, "Sent because: key results in Platform are still overdue after two reminders (step 3 of 3)."));
    }

    /// <summary>Dependencies at their longest: every state, notes, needed-by dates, long names, many waiting on the first key results.</summary>
    public static List<DependencyLink> Dependencies(int count) => [.. Enumerable.Range(1, count).Select(i => new DependencyLink(i, 1,
        new DependencyEnd(100 + i, $"GR-KR{i}", $"Waiting key result {i}: double self-serve signups from the partner marketplace", 7, "Growth and partnerships", 20 + i, $"Waiting owner {i}"),
        new DependencyEnd(1 + i % 12, $"PL-KR{i % 12}", KeyResult(1 + i % 12).Title, 3, "Platform", 10 + i % 12, $"Owner {i % 12}"),
        i % 2 == 0 || i % 3 == 2 ? DateOnly.FromDateTime(Now.AddDays(i - 10).UtcDateTime) : null, i % 3 == 0 ? new string('n', 300) : null, Now.AddDays(-20),
        (KeyResultHealth)(i % 5), 0.4, Now.AddDays(-3), null, (DependencyState)(i % 3), i % 3 == 0 ? null : Now.AddDays(-3)))];
}
