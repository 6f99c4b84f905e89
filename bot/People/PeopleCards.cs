using System.Globalization;
using AlignmentBot.Bot.Cards;
using AlignmentBot.Scheduler.People;

namespace AlignmentBot.Bot.People;

/// <summary>The <c>me</c> card: each value with its source and the way to change it.</summary>
public static class PeopleCards
{
    public static Card Me(MeView me, IReadOnlyList<PersonFact> facts) => new("What I know about you")
    {
        Subtitle = "Only you see this. It decides when you get messages and who sees your team's results.",
        Body =
        [
            new FactList([.. Facts(me, facts)]),
            new TextBlock("Change it: “timezone Europe/Berlin”, “pulses off” or “pulses on”, “away until 2026-12-24”. "
                + "Your manager, teams and roles come from your organisation; ask your admin to change them.", TextEmphasis.Subtle),
        ],
    };

    private static IEnumerable<Fact> Facts(MeView me, IReadOnlyList<PersonFact> facts)
    {
        string From(string field) => facts.FirstOrDefault(f => f.Field == field) is { } winner ? $" — {SourceName(winner.Source, me.Platform)}" : "";

        yield return new Fact("Name", me.Email is null ? me.DisplayName : $"{me.DisplayName} ({me.Email})");
        yield return new Fact("Time zone", me.TimeZone is null
            ? $"not known: I use your organisation's, {me.TenantZone}. Set yours with “timezone <zone>”."
            : $"{me.TimeZone}{From(PersonFacts.TimeZone)}{Disagreeing(PersonFacts.TimeZone, facts, me.Platform)}");
        yield return new Fact("Manager", me.Manager is null ? "none known" : $"{me.Manager}{From(PersonFacts.Manager)}");
        yield return new Fact("Teams", me.Teams.Length == 0 ? "none" : string.Join(", ", me.Teams));
        yield return new Fact("Leader", me.Leader ? $"yes: you get the weekly roll-up{From(PersonFacts.Leader)}" : "no");
        if (me.Department is not null || me.JobTitle is not null)
        {
            yield return new Fact("Job", string.Join(", ", new[] { me.JobTitle, me.Department }.Where(v => v is not null)) + From(PersonFacts.Department));
        }

        yield return new Fact("Away", me.AwayUntil is { } away ? $"until {away.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)}: no nudges till then" : "no");
        yield return new Fact("Pulse surveys", me.OptedOutOfPulses ? $"off{From(PersonFacts.OptedOut)}. “pulses on” to get them again." : "on. “pulses off” to stop them.");
    }

    /// <summary>When a lower source says something else, say so: the person sees why their chat app's zone is not used.</summary>
    private static string Disagreeing(string field, IReadOnlyList<PersonFact> facts, string platform)
    {
        var said = facts.Where(f => f.Field == field && f.Value is not null).ToList();
        return said.Count > 1 && said.Skip(1).FirstOrDefault(f => f.Value != said[0].Value) is { } other
            ? $" ({SourceName(other.Source, platform)} says {other.Value})"
            : "";
    }

    public static string SourceName(string source, string platform) => source switch
    {
        PersonFacts.Self => "your own choice",
        PersonFacts.File => "your organisation's HR file",
        PersonFacts.Graph => "your Microsoft 365 profile",
        _ => platform == "slack" ? "your Slack profile" : "your Teams client",
    };
}
