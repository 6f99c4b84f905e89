using AlignmentBot.Bot.Cards;
using AlignmentBot.Scheduler.Okrs;
using AlignmentBot.Scheduler.Okrs.Dependencies;

namespace AlignmentBot.Bot.Okrs;

/// <summary>Key results of a team, as its members and its manager see them; and the manager's consolidated nudge.</summary>
public static class TeamCards
{
    public const int MaxListed = 20;

    /// <summary>
    /// The teams' key results, most urgent first. Blockers are shown only to the team's manager and to the key result's
    /// owner; everyone in the team sees progress and health.
    /// </summary>
    public static Card Team(IReadOnlyList<(KeyResultView KeyResult, bool Manages)> keyResults, long viewerId, DateTimeOffset now,
        IReadOnlyList<DependencyLink>? dependencies = null)
    {
        if (keyResults.Count == 0)
        {
            return new Card("Your team's key results")
            {
                Body = [new TextBlock("None of your teams has key results yet, or you are not in a team I know. Your admin imports OKRs per team.")],
            };
        }

        var body = new List<CardBlock>();
        foreach (var team in keyResults.GroupBy(k => k.KeyResult.TeamName ?? "Company"))
        {
            body.Add(new TextBlock(team.Key, TextEmphasis.Heading));
            var ordered = team.OrderByDescending(k => k.KeyResult.Health(now) == KeyResultHealth.Stale).ThenBy(k => k.KeyResult.Confidence ?? -1).ToList();
            foreach (var (kr, manages) in ordered.Take(MaxListed))
            {
                // Titles, names and blockers are people's words: plain text, so none of it is read as a link or markup.
                var line = $" — {kr.OwnerName} · {OkrText.Percent(kr.Progress)} · {OkrText.Status(kr, now)}";
                if (kr.LastBlocker is { } blocker && (manages || kr.OwnerId == viewerId))
                {
                    line += $" · blocker: {blocker}";
                }

                body.Add(new PlainText([new Run(kr.Title, Bold: true), new Run(line)], OkrText.Emphasis(kr.Health(now))));
                body.AddRange(DependencyText.Lines(kr.Id, dependencies ?? [], now));
            }

            if (ordered.Count > MaxListed)
            {
                var rest = ordered.Skip(MaxListed).ToList();
                body.Add(new TextBlock($"And {rest.Count} more: {rest.Count(k => k.KeyResult.Health(now) == KeyResultHealth.OnTrack)} on track, {rest.Count(k => k.KeyResult.Health(now) != KeyResultHealth.OnTrack)} needing a look.", TextEmphasis.Subtle));
            }
        }

        var stale = keyResults.Count(k => k.KeyResult.IsOverdue(now));
        return new Card("Your team's key results")
        {
            Subtitle = $"{OkrCards.Count(keyResults.Count, "key result")} · {stale} stale",
            Body = body,
        };
    }

    /// <summary>Step 3 of the ladder: one message to the manager with all of the team's overdue key results.</summary>
    public static Card ManagerNudge(string teamName, IReadOnlyList<KeyResultView> overdue, IReadOnlySet<long> escalated, DateTimeOffset now, string reason) =>
        new($"{teamName}: {OkrCards.Count(overdue.Count, "key result")} need{(overdue.Count == 1 ? "s" : "")} an update")
        {
            Subtitle = "Their owners have been reminded; a word from you may help. Blockers are listed where the owner gave one.",
            Body =
            [
                .. overdue.Take(MaxListed).Select(kr => new PlainText(
                [
                    new Run(kr.Title, Bold: true),
                    new Run($" — {kr.OwnerName} · {OkrText.Overdue(kr, now)} · {(escalated.Contains(kr.Id) ? "reminded twice (step 3 of 3)" : QuietOrEarlier(kr, now))}"
                        + (kr.LastBlocker is { } b ? $" · blocker: {b}" : "")),
                ], TextEmphasis.Attention)),
                .. overdue.Count > MaxListed ? [new TextBlock($"And {overdue.Count - MaxListed} more; type `okrs team` for the full list.", TextEmphasis.Subtle)] : Array.Empty<CardBlock>(),
            ],
            Reason = reason,
        };

    private static string QuietOrEarlier(KeyResultView kr, DateTimeOffset now) =>
        kr.OwnerAway(now) ? $"owner away until {OkrText.Day(kr.OwnerAwayUntil!.Value)}"
        : kr.IsSnoozed(now) ? $"snoozed by the owner until {OkrText.Local(KeyResultView.Utc(kr.SnoozedUntil!.Value), kr.OwnerTimeZone)}"
        : "owner reminded, not yet escalated";
}
