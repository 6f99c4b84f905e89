using System.Globalization;
using AlignmentBot.Bot.Cards;
using AlignmentBot.Scheduler.Okrs;
using AlignmentBot.Scheduler.Okrs.Dependencies;

namespace AlignmentBot.Bot.Okrs;

/// <summary>How dependencies read in chat and digests: "waits for Platform · SSO — stale for 9 days".</summary>
public static class DependencyText
{
    /// <summary>"stale for 9 days", "off track (confidence 3)", "late: needed by Wed 1 Dec", "on track", "done".</summary>
    public static string Standing(DependencyLink link, DateTimeOffset now) => link switch
    {
        { WaitedOnDone: true } => "done",
        { State: DependencyState.Late, NeededBy: { } neededBy } => $"late: needed by {Day(neededBy)}",
        { State: DependencyState.Late } => "late",
        { WaitedOnHealth: KeyResultHealth.Stale } => $"stale for {Days(now - link.WaitedOnOverdueSince)}",
        _ => KeyResultRules.Describe(link.WaitedOnHealth) + (link.NeededBy is { } by ? $", needed by {Day(by)}" : ""),
    };

    /// <summary>"waits for Platform · SSO — stale for 9 days" (seen from the waiting key result).</summary>
    public static string WaitsFor(DependencyLink link, DateTimeOffset now) => $"waits for {link.WaitedOn.Name} — {Standing(link, now)}";

    /// <summary>"Growth · Signups (ben) waits for it since Tue 2 Nov" (seen from the key result waited on).</summary>
    public static string WaitedOnBy(DependencyLink link) =>
        $"{link.Waiting.Name}{(link.Waiting.Owner is { } owner ? $" ({owner})" : "")} waits for it since {Day(DateOnly.FromDateTime(link.CreatedAt.UtcDateTime))}"
        + (link.NeededBy is { } by ? $", needed by {Day(by)}" : "");

    /// <summary>The lines under one key result: what it waits for, then what waits for it; empty when neither.</summary>
    public static IEnumerable<TextBlock> Lines(long keyResultId, IReadOnlyList<DependencyLink> links, DateTimeOffset now)
    {
        foreach (var link in links.Where(l => l.Waiting.Id == keyResultId))
        {
            yield return new TextBlock("↳ " + WaitsFor(link, now), link.Slipping ? TextEmphasis.Warning : TextEmphasis.Subtle);
        }

        var waiting = links.Where(l => l.WaitedOn.Id == keyResultId).ToList();
        if (waiting.Count > 0)
        {
            yield return new TextBlock($"↳ {Count(waiting.Count)} wait{(waiting.Count == 1 ? "s" : "")} for this: {string.Join("; ", waiting.Take(3).Select(l => l.Waiting.Name))}"
                + (waiting.Count > 3 ? $" and {waiting.Count - 3} more" : ""), TextEmphasis.Subtle);
        }
    }

    /// <summary>"this unblocks 2 key results in Growth" — or, when they still wait on a slipping key result, says so.</summary>
    public static string? Unblocks(IReadOnlyList<DependencyLink> before, IReadOnlyList<DependencyLink> after, long keyResultId)
    {
        var waitingAfter = after.Where(l => l.WaitedOn.Id == keyResultId).ToList();
        if (waitingAfter.Count == 0)
        {
            return null;
        }

        var slippedBefore = before.Where(l => l.WaitedOn.Id == keyResultId && l.Slipping).Select(l => l.Id).ToHashSet();
        var unblocked = waitingAfter.Where(l => !l.Slipping && slippedBefore.Contains(l.Id)).ToList();
        if (unblocked.Count > 0)
        {
            return $"This unblocks {Count(unblocked.Count)} in {Teams(unblocked)}; their owners will hear so.";
        }

        var still = waitingAfter.Where(l => l.Slipping).ToList();
        return still.Count > 0
            ? $"{Count(still.Count)} in {Teams(still)} still wait{(still.Count == 1 ? "s" : "")} on this: it is {still[0].Why}."
            : $"{Count(waitingAfter.Count)} in {Teams(waitingAfter)} wait{(waitingAfter.Count == 1 ? "s" : "")} on this, and {(waitingAfter.Count == 1 ? "it is" : "they are")} not held up.";
    }

    private static string Teams(IEnumerable<DependencyLink> links) => string.Join(" and ", links.Select(l => l.Waiting.Team ?? "the company").Distinct());

    private static string Count(int n) => n == 1 ? "1 key result" : $"{n} key results";

    private static string Days(TimeSpan span) => (int)Math.Floor(span.TotalDays) switch
    {
        <= 0 => "less than a day",
        1 => "1 day",
        var d => $"{d} days",
    };

    private static string Day(DateOnly date) => date.ToString("ddd d MMM", CultureInfo.InvariantCulture);
}
