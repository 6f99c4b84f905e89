using AlignmentBot.Bot.Cards;
using AlignmentBot.Bot.Okrs;

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
        yield return ("manager nudge: 40 overdue", TeamCards.ManagerNudge("Platform", [.. many.Select(k => k with { OverdueSince = Now.AddDays(-4).UtcDateTime })],
            many.Where(k => k.Id % 3 == 0).Select(k => k.Id).ToHashSet(), Now, "Sent because: key results in Platform are still overdue after two reminders (step 3 of 3)."));
    }
}
