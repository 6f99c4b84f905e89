using AlignmentBot.Bot.Cards;
using AlignmentBot.Scheduler.Digests;
using AlignmentBot.Scheduler.Okrs;
using static AlignmentBot.Bot.Digests.DigestText;

namespace AlignmentBot.Bot.Digests;

/// <summary>
/// The leaders' roll-up: one line per team (OKR health, alignment score and trend, participation) and its risk flags
/// with their rules. Teams with flags come first; past <see cref="Lines"/> teams the rest are counted, so a
/// 500-team tenant still gets one card under Teams' 28 KB. There is no total across teams: each team's score obeys
/// its own threshold, and with no combined figure nobody can subtract teams to reach a smaller group.
/// </summary>
public static class RollupCards
{
    public const int Lines = 20;

    public static Card Rollup(IReadOnlyList<TeamDigest> teams, DateTimeOffset at, string timeZone, string reason)
    {
        var ordered = Ordered(teams);
        var flagged = teams.Count(t => t.Flags.Count > 0);
        var body = new List<CardBlock>
        {
            new TextBlock($"{teams.Count} team{(teams.Count == 1 ? "" : "s")}, {flagged} with risk flags. OKR health by team: {Counts(teams.Select(t => t.Health))}."),
        };
        foreach (var team in ordered.Take(Lines))
        {
            body.Add(new TextBlock(team.Team, TextEmphasis.Heading));
            body.Add(new FactList(Line(team)));
            // Warning emphasis draws a warning-style container, readable in Teams' light and dark themes.
            foreach (var flag in team.Flags)
            {
                body.Add(new TextBlock($"⚑ **{flag.Rule}**: {flag.Detail}", TextEmphasis.Warning));
            }
        }

        var rest = ordered.Skip(Lines).ToList();
        if (rest.Count > 0)
        {
            var restFlagged = rest.Count(t => t.Flags.Count > 0);
            body.Add(new TextBlock(
                $"And {rest.Count} more teams ({restFlagged} with risk flags): {Counts(rest.Select(t => t.Health))}. Ask me “digest <team>” for any of them.",
                TextEmphasis.Subtle));
        }

        // Each flag names its rule where it is raised; the rules are not listed again here.
        body.Add(new TextBlock("Scores are shown only for teams where enough people answered, and never added up across teams.", TextEmphasis.Subtle));
        return new Card("Leaders' roll-up")
        {
            Subtitle = $"Week {Week(at, timeZone)} · as of {Local(at, timeZone)} ({timeZone})",
            Body = body,
            Reason = reason,
        };
    }

    /// <summary>The roll-up's order (the dashboard's leaders' view uses it too): teams with most flags first, then by health, then by name.</summary>
    public static IReadOnlyList<TeamDigest> Ordered(IEnumerable<TeamDigest> teams) =>
        [.. teams.OrderByDescending(t => t.Flags.Count).ThenBy(t => Severity(t.Health)).ThenBy(t => t.Team, StringComparer.Ordinal)];

    private static List<Fact> Line(TeamDigest team)
    {
        var facts = new List<Fact>
        {
            new("OKR health", team.KeyResults.Count == 0 ? "no key results" : $"{Status(team.Health)} ({Counts(team.KeyResults.Select(k => k.Health))})"),
        };
        if (team.Latest is { } run)
        {
            facts.Add(new Fact("Alignment", Result(run)));
            facts.Add(new Fact("Participation", Participation(run)));
        }
        else
        {
            facts.Add(new Fact("Alignment", "no pulse has closed yet"));
        }

        return facts;
    }

    private static int Severity(KeyResultHealth health) => health switch
    {
        KeyResultHealth.Stale => 0,
        KeyResultHealth.OffTrack => 1,
        KeyResultHealth.AtRisk => 2,
        KeyResultHealth.Unknown => 3,
        _ => 4,
    };
}
