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

        if (group.Participation is { } participation)
        {
            yield return new FactList([new Fact("Participation", $"{participation.ToString("0.#", CultureInfo.InvariantCulture)} % of those invited answered")]);
        }

        foreach (var q in group.Questions.Where(q => q.Kind != "text"))
        {
            yield return new TextBlock(q.Prompt, TextEmphasis.Strong);
            yield return new TextBlock(Summary(q));
            yield return new FactList(Distribution(q));
        }

        foreach (var q in group.Questions.Where(q => q.Comments.Count > 0))
        {
            yield return new TextBlock($"{q.Prompt} ({q.Comments.Count} comments)", TextEmphasis.Subtle);
            foreach (var comment in q.Comments)
            {
                yield return new PlainText($"“{comment}”");
            }
        }
    }

    /// <summary>The favourable share first, then the average and its change: "**83 % favourable** · average 3.83 / 5 · ▲ 0.33 since last time".</summary>
    private static string Summary(QuestionResult q)
    {
        var parts = new List<string>();
        if (q.FavourablePercent is { } favourable)
        {
            parts.Add($"**{favourable.ToString("0", CultureInfo.InvariantCulture)} % favourable** (agree or strongly agree)");
        }

        if (q.Enps is { } enps)
        {
            parts.Add($"**eNPS {enps.ToString("+0;-0;0", CultureInfo.InvariantCulture)}** (promoters minus detractors, in % of answers)");
        }
        else if (q.Mean is { } mean)
        {
            parts.Add($"average {mean.ToString("0.00", CultureInfo.InvariantCulture)} / 5");
        }

        if (q.Mean is { } now && q.PreviousMean is { } before)
        {
            var delta = now - before;
            parts.Add(delta == 0 ? "no change since last time" : $"{(delta > 0 ? "▲" : "▼")} {Math.Abs(delta).ToString("0.00", CultureInfo.InvariantCulture)} since last time");
        }

        if (parts.Count == 0)
        {
            parts.Add(Answers(q.Answers));
        }

        return string.Join(" · ", parts);
    }

    /// <summary>
    /// How the answers fell, in the scale's own words with a count and a bar of the share: the favourable end first
    /// (strongly agree … strongly disagree; eNPS promoters, passives, detractors; named options, most chosen first).
    /// </summary>
    private static List<Fact> Distribution(QuestionResult q)
    {
        int Count(Func<decimal, bool> which) => q.Distribution.Where(d => decimal.TryParse(d.Key, NumberStyles.Number, CultureInfo.InvariantCulture, out var v) && which(v)).Sum(d => d.Value);
        IEnumerable<(string Label, int Count)> rows = q.Kind switch
        {
            "likert5" => Enumerable.Range(1, PulseCards.LikertLabels.Count).Reverse().Select(v => (PulseCards.LikertLabels[v - 1], Count(x => x == v))),
            "enps" => [("Promoters (9–10)", Count(x => x >= 9)), ("Passives (7–8)", Count(x => x is >= 7 and < 9)), ("Detractors (0–6)", Count(x => x < 7))],
            _ => q.Distribution.OrderByDescending(d => d.Value).ThenBy(d => d.Key, StringComparer.Ordinal).Select(d => (d.Key, d.Value)),
        };
        var total = q.Distribution.Values.Sum();
        return [.. rows.Select(r => new Fact(r.Label, $"{Bar(r.Count, total)} {r.Count.ToString(CultureInfo.InvariantCulture)}"))];
    }

    private static string Bar(int count, int total)
    {
        var filled = total == 0 ? 0 : (int)Math.Round(BarCells * (double)count / total, MidpointRounding.AwayFromZero);
        return new string('▰', filled) + new string('▱', BarCells - filled);
    }

    private const int BarCells = 10;

    private static string Answers(int n) => n == 1 ? "1 answer" : $"{n.ToString(CultureInfo.InvariantCulture)} answers";
}
