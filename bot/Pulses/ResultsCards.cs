using System.Globalization;
using AlignmentBot.Bot.Cards;
using AlignmentBot.Scheduler.Pulses;

namespace AlignmentBot.Bot.Pulses;

/// <summary>The results card: per group, the reason it is hidden or its aggregates (never a name).</summary>
public static class ResultsCards
{
    public static Card Results(string survey, IReadOnlyList<GroupResult> groups) => new($"Results: {survey}")
    {
        Subtitle = "Team aggregates only; nothing is shown for groups below the anonymity threshold.",
        Body = [.. groups.SelectMany(Group)],
    };

    private static IEnumerable<CardBlock> Group(GroupResult group)
    {
        yield return new TextBlock(group.Group, TextEmphasis.Heading);
        if (group.HiddenBecause is { } reason)
        {
            yield return new TextBlock(reason, TextEmphasis.Subtle);
            yield break;
        }

        var facts = new List<Fact>();
        if (group.Participation is { } participation)
        {
            facts.Add(new Fact("Participation", $"{participation.ToString("0.#", CultureInfo.InvariantCulture)} %"));
        }

        foreach (var q in group.Questions.Where(q => q.Kind != "text"))
        {
            facts.Add(new Fact(q.Prompt, Summary(q)));
        }

        yield return new FactList(facts);
        foreach (var q in group.Questions.Where(q => q.Comments.Count > 0))
        {
            yield return new TextBlock($"{q.Prompt} ({q.Comments.Count} comments)", TextEmphasis.Subtle);
            foreach (var comment in q.Comments)
            {
                yield return new PlainText($"“{comment}”");
            }
        }
    }

    private static string Summary(QuestionResult q)
    {
        var parts = new List<string>();
        if (q.Enps is { } enps)
        {
            parts.Add($"eNPS {enps.ToString("+0;-0;0", CultureInfo.InvariantCulture)}");
        }
        else if (q.Mean is { } mean)
        {
            parts.Add($"{mean.ToString("0.00", CultureInfo.InvariantCulture)} / 5");
        }

        if (q.FavourablePercent is { } favourable)
        {
            parts.Add($"{favourable.ToString("0", CultureInfo.InvariantCulture)} % favourable");
        }

        if (q.Mean is { } now && q.PreviousMean is { } before)
        {
            var delta = now - before;
            parts.Add(delta == 0 ? "no change" : $"{(delta > 0 ? "▲" : "▼")} {Math.Abs(delta).ToString("0.00", CultureInfo.InvariantCulture)} since last time");
        }

        parts.Add(string.Join(" ", q.Distribution.OrderBy(d => d.Key, StringComparer.Ordinal).Select(d => $"{d.Key}×{d.Value}")));
        return string.Join(" · ", parts);
    }
}
