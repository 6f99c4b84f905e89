using System.Globalization;
using AlignmentBot.Bot.Cards;
using AlignmentBot.Scheduler.Okrs.Dependencies;

namespace AlignmentBot.Bot.Okrs;

/// <summary>The messages across the seam: to the owner others wait on when it slips, and to a waiting owner when it is resolved.</summary>
public static class DependencyCards
{
    /// <summary>A message holds this many key results waited on, each with this many waiting; the rest are counted.</summary>
    public const int MaxKeyResults = 8;

    public const int MaxWaiting = 5;

    /// <summary>To the owner of the key results waited on: who waits, since when, how it stands, and a Check in button each.</summary>
    public static Card Slipped(IReadOnlyList<DependencyLink> links, IReadOnlyList<KeyResultView> waitedOn, DateTimeOffset now, string reason)
    {
        var body = new List<CardBlock>();
        foreach (var kr in waitedOn.Take(MaxKeyResults))
        {
            var mine = links.Where(l => l.WaitedOn.Id == kr.Id).ToList();
            body.Add(new Progress(kr.Title, kr.Progress, OkrText.Status(kr, now)));
            body.AddRange(mine.Take(MaxWaiting).Select(l => new TextBlock(
                $"**{l.Waiting.Name}**{(l.Waiting.Owner is { } o ? $" ({o})" : "")} waits for it since {Day(l.CreatedAt)}"
                + (l.NeededBy is { } by ? $", needed by {by.ToString("ddd d MMM", CultureInfo.InvariantCulture)}" : "")
                + $" — {DependencyText.Standing(l, now)}{(l.Since is { } since ? $" (since {Day(since)})" : "")}"
                + (l.Note is { } note ? $". Note: {note}" : ""), TextEmphasis.Warning)));
            if (mine.Count > MaxWaiting)
            {
                body.Add(new TextBlock($"And {mine.Count - MaxWaiting} more key results wait for it; `okrs` lists them.", TextEmphasis.Warning));
            }

            body.Add(new Buttons([new CardAction("Check in", OkrCards.OpenCheckinVerb) { Data = OkrCards.Data(kr), SubmitsInputs = false, Style = ActionStyle.Primary }]));
        }

        if (waitedOn.Count > MaxKeyResults)
        {
            body.Add(new TextBlock($"And {waitedOn.Count - MaxKeyResults} more of your key results that others wait on; `okrs` shows them.", TextEmphasis.Subtle));
        }

        var teams = links.Select(l => l.Waiting.Team ?? "the company").Distinct().ToList();
        var who = teams.Count <= 3 ? string.Join(" and ", teams) : $"{teams.Count} teams";
        return new Card($"{who} {(teams.Count == 1 ? "is" : "are")} waiting on {(waitedOn.Count == 1 ? $"“{waitedOn[0].Title}”" : $"{waitedOn.Count} of your key results")}")
        {
            Subtitle = "A check-in tells them where it stands; if it will be late, a word to them helps them plan.",
            Body = body,
            Reason = reason,
        };
    }

    /// <summary>To the owner of a waiting key result: what it waited for is fine again.</summary>
    public static Card Resolved(IReadOnlyList<DependencyLink> links, DateTimeOffset now, string reason) =>
        new(links.Count == 1 ? $"Unblocked: {links[0].WaitedOn.Name}" : $"Unblocked: {links.Count} dependencies")
        {
            Body =
            [
                .. links.Take(MaxKeyResults).Select(l => new TextBlock($"“{l.Waiting.Title}” {DependencyText.WaitsFor(l, now)}", TextEmphasis.Good)),
                .. links.Count > MaxKeyResults ? [new TextBlock($"And {links.Count - MaxKeyResults} more; `okrs` shows them.", TextEmphasis.Subtle)] : Array.Empty<CardBlock>(),
            ],
            Reason = reason,
        };

    private static string Day(DateTimeOffset at) => at.ToString("ddd d MMM", CultureInfo.InvariantCulture);
}
