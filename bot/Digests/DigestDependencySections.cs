using AlignmentBot.Bot.Cards;
using AlignmentBot.Bot.Okrs;
using AlignmentBot.Scheduler.Digests;
using AlignmentBot.Scheduler.Okrs.Dependencies;

namespace AlignmentBot.Bot.Digests;

/// <summary>
/// The digest's "Blocked by" (what the team's key results wait for) and "Blocking" (who waits for the team's key
/// results), slipping ones first, at most <see cref="DigestCards.Shown"/> each, the rest counted.
/// </summary>
public static class DigestDependencySections
{
    public static IEnumerable<CardBlock> Blocks(TeamDigest digest)
    {
        foreach (var block in Section("Blocked by", digest.BlockedBy, l => new Fact(l.Waiting.Title, DependencyText.WaitsFor(l, digest.At))))
        {
            yield return block;
        }

        foreach (var block in Section("Blocking", digest.Blocking,
            l => new Fact(l.WaitedOn.Title, $"{l.Waiting.Name} waits for it — {DependencyText.Standing(l, digest.At)}")))
        {
            yield return block;
        }
    }

    private static IEnumerable<CardBlock> Section(string heading, IReadOnlyList<DependencyLink> links, Func<DependencyLink, Fact> fact)
    {
        if (links.Count == 0)
        {
            yield break;
        }

        var ordered = links.OrderByDescending(l => l.State).ThenBy(l => l.Id).ToList();
        var slipping = links.Count(l => l.Slipping);
        yield return new TextBlock(heading, TextEmphasis.Heading);
        yield return new FactList([.. ordered.Take(DigestCards.Shown).Select(fact)]);
        if (links.Count > DigestCards.Shown)
        {
            yield return new TextBlock($"And {links.Count - DigestCards.Shown} more.", TextEmphasis.Subtle);
        }

        if (slipping > 0)
        {
            yield return new TextBlock($"{slipping} of {links.Count} at risk or late: the key result waited on is at risk, off track or stale, or its needed-by date has passed.",
                TextEmphasis.Warning);
        }
    }
}
