using AlignmentBot.Bot.Cards;
using AlignmentBot.Bot.FocusAreas;
using AlignmentBot.Bot.Okrs;
using AlignmentBot.Scheduler.Digests;
using static AlignmentBot.Bot.Digests.DigestText;

namespace AlignmentBot.Bot.Digests;

/// <summary>
/// The team's weekly digest card. It summarises rather than truncates: the key results most in need of attention are
/// shown in full and the rest are counted by health, so forty key results still fit one Teams message (28 KB).
/// Everything the chart shows is also written out, because an image may not load.
/// </summary>
public static class DigestCards
{
    /// <summary>At most this many key results (and stale items, wins, objectives) in full; the rest are counted.</summary>
    public const int Shown = 8;

    public static Card Team(TeamDigest digest, Uri? chart, string reason)
    {
        var body = new List<CardBlock>();
        var k = digest.KeyResults;
        body.Add(new TextBlock(k.Count == 0
            ? "No key results yet."
            : $"{k.Count} key result{(k.Count == 1 ? "" : "s")}: {Counts(k.Select(x => x.Health))}."));
        if (digest.Runs.Count > 0 || k.Count > 0)
        {
            var trend = Trend(digest);
            if (chart is not null)
            {
                body.Add(new Image(chart, trend));
            }

            body.Add(new TextBlock(trend, TextEmphasis.Subtle));
        }

        body.AddRange(KeyResults(digest));
        body.AddRange(Stale(digest));
        body.AddRange(DigestDependencySections.Blocks(digest));
        body.AddRange(Wins(digest));
        body.AddRange(Pulses(digest));
        body.AddRange(FocusCardBlocks.Digest(digest));
        body.AddRange(LineOfSight(digest));
        return new Card($"Weekly digest: {digest.Team}")
        {
            Subtitle = $"Week {Week(digest.At, digest.TimeZone)} · as of {Local(digest.At, digest.TimeZone)} ({digest.TimeZone})",
            Body = body,
            Reason = reason,
        };
    }

    /// <summary>The key results shown on the chart's bars: the ones the card shows in full.</summary>
    public static IReadOnlyList<KeyResultLine> Highlighted(TeamDigest digest) =>
        [.. digest.KeyResults.OrderBy(Attention).ThenBy(x => x.Progress).ThenBy(x => x.Id).Take(Shown)];

    /// <summary>What the chart shows, in words: the runs' scores and participation, oldest first.</summary>
    public static string Trend(TeamDigest digest)
    {
        if (digest.Runs.Count == 0)
        {
            return "Trend: no pulse has closed yet.";
        }

        var scores = string.Join(", ", digest.Runs.Select(r => r.AlignmentScore is { } s ? Score(s) : "hidden"));
        var participation = string.Join(", ", digest.Runs.Select(r => r.Participation is { } p ? Percent((double)p / 100) : "–"));
        return $"Trend over the last {digest.Runs.Count} pulse run{(digest.Runs.Count == 1 ? "" : "s")}, oldest first — alignment score: {scores}; participation: {participation}.";
    }

    private static IEnumerable<CardBlock> KeyResults(TeamDigest digest)
    {
        if (digest.KeyResults.Count == 0)
        {
            yield break;
        }

        yield return new TextBlock("Key results", TextEmphasis.Heading);
        var shown = Highlighted(digest);
        foreach (var kr in shown)
        {
            yield return new Progress(kr.Title, kr.Progress, Caption(kr));
        }

        var rest = digest.KeyResults.Except(shown).ToList();
        if (rest.Count > 0)
        {
            yield return new TextBlock($"And {rest.Count} more: {Counts(rest.Select(x => x.Health))}.", TextEmphasis.Subtle);
        }
    }

    private static string Caption(KeyResultLine kr)
    {
        var parts = new List<string> { OkrText.Standing(kr.Start, kr.Target, kr.Current, kr.Unit), Status(kr.Health) };
        if (kr.Confidence is { } confidence)
        {
            parts.Add($"confidence {confidence}/10");
        }

        parts.Add(kr.Change switch { null => "new this week", 0 => "no change since last week", { } change => $"{WithSign(change)} since last week" });
        if (kr.Behind)
        {
            parts.Add($"expected {Percent(kr.Expected!.Value)} by now");
        }

        return string.Join(" · ", parts);
    }

    private static IEnumerable<CardBlock> Stale(TeamDigest digest)
    {
        var stale = digest.Stale.ToList();
        if (stale.Count == 0)
        {
            yield break;
        }

        yield return new TextBlock("Needs a check-in", TextEmphasis.Heading);
        yield return new FactList([.. stale.Take(Shown).Select(s => new Fact(s.Title, Owner(s)))]);
        if (stale.Count > Shown)
        {
            yield return new TextBlock($"And {stale.Count - Shown} more overdue.", TextEmphasis.Subtle);
        }
    }

    private static string Owner(KeyResultLine kr) =>
        kr.Owner is null ? "no owner" : kr.OwnerAway ? $"{kr.Owner} (owner away)" : kr.Owner;

    private static IEnumerable<CardBlock> Wins(TeamDigest digest)
    {
        var facts = digest.BiggestGains.Select(g => new Fact(g.Title, $"+{Points(g.ProgressGain!.Value)} points of progress this week")).ToList();
        var confidenceUp = digest.ConfidenceUp.ToList();
        facts.AddRange(confidenceUp.Take(3).Select(c => new Fact(c.Title, $"confidence up to {c.Confidence}/10 at this week's check-in")));
        if (facts.Count == 0)
        {
            yield break;
        }

        yield return new TextBlock("Wins this week", TextEmphasis.Heading);
        yield return new FactList(facts);
        if (confidenceUp.Count > 3)
        {
            yield return new TextBlock($"And {confidenceUp.Count - 3} more check-ins with confidence up.", TextEmphasis.Subtle);
        }
    }

    private static IEnumerable<CardBlock> Pulses(TeamDigest digest)
    {
        yield return new TextBlock("Pulse", TextEmphasis.Heading);
        var closed = digest.ClosedThisWeek.ToList();
        if (closed.Count == 0)
        {
            yield return new TextBlock("No pulse closed this week.", TextEmphasis.Subtle);
            yield break;
        }

        foreach (var run in closed)
        {
            yield return new FactList(
            [
                new Fact(run.Survey, Result(run)),
                new Fact("Participation", Participation(run)),
            ]);
        }

        yield return new TextBlock("Team aggregates only, and only when enough people answered; never who answered or what one person said.", TextEmphasis.Subtle);
    }

    private static IEnumerable<CardBlock> LineOfSight(TeamDigest digest)
    {
        if (digest.Objectives.Count == 0)
        {
            yield break;
        }

        yield return new TextBlock("Line of sight", TextEmphasis.Heading);
        yield return new FactList([.. digest.Objectives.Take(Shown).Select(o => new Fact(o.Title, o.Serves is { } serves ? $"serves “{serves}”" : "not linked to a company objective"))]);
        if (digest.Objectives.Count > Shown)
        {
            yield return new TextBlock($"And {digest.Objectives.Count - Shown} more objectives.", TextEmphasis.Subtle);
        }
    }
}
