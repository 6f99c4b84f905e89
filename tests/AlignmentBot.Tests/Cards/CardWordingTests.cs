using System.Text.Json.Nodes;
using AlignmentBot.Bot.Cards;
using AlignmentBot.Bot.Digests;
using AlignmentBot.Bot.Okrs;
using AlignmentBot.Bot.Pulses;
using AlignmentBot.Scheduler.Digests;
using AlignmentBot.Scheduler.Okrs;
using AlignmentBot.Scheduler.Pulses;
using AlignmentBot.Tests.Digests;

namespace AlignmentBot.Tests.Cards;

/// <summary>
/// How the cards read, checked on the rendered Adaptive Card (the text a person sees in Teams), not on the methods
/// that build it. The scenario tests check the same wordings through the real bot.
/// </summary>
public class CardWordingTests
{
    private static readonly DateTimeOffset Now = new(2027, 11, 4, 10, 0, 0, TimeSpan.Zero);

    private static readonly string[] Visible = ["text", "title", "value", "label", "placeholder", "altText"];

    /// <summary>Every string a person sees on the rendered card, one per line, in card order.</summary>
    public static string Seen(Card card)
    {
        var lines = new List<string>();
        void Walk(JsonNode? node, string? key)
        {
            switch (node)
            {
                case JsonObject o:
                    foreach (var (k, v) in o.Where(p => p.Key != "data"))
                    {
                        Walk(v, k);
                    }

                    break;
                case JsonArray a:
                    foreach (var item in a)
                    {
                        Walk(item, key);
                    }

                    break;
                case JsonValue v when key is not null && Visible.Contains(key) && v.TryGetValue<string>(out var text):
                    lines.Add(text);
                    break;
            }
        }

        Walk(AdaptiveCardRenderer.Render(card), null);
        return string.Join("\n", lines);
    }

    /// <summary>Time to resolve a ticket: from 14 days down to 7, at 12 now.</summary>
    private static KeyResultView Downwards(bool overdue = false) =>
        OkrCardSamples.KeyResult(1, overdue) with { Title = "Time to resolve a ticket", StartValue = 14, TargetValue = 7, CurrentValue = 12, Unit = "days" };

    [Test]
    public void A_key_result_that_goes_down_reads_as_now_target_and_start_in_every_okr_card()
    {
        const string said = "12 days now, target 7 days (from 14)";

        Assert.Multiple(() =>
        {
            Assert.That(Seen(OkrCards.Mine([Downwards()], Now)), Does.Contain(said), "okrs");
            Assert.That(Seen(TeamCards.Team([(Downwards(), true)], 11, Now)), Does.Contain(said), "okrs team");
            Assert.That(Seen(OkrCards.CheckIn(Downwards(overdue: true), Now, reason: "Sent because: a nudge")), Does.Contain(said), "the check-in card, as a nudge sends it");
            Assert.That(Seen(OkrCards.CheckedIn(Downwards(), Now)), Does.Contain(said), "after checking in");
            foreach (var card in new[] { OkrCards.Mine([Downwards()], Now), OkrCards.CheckIn(Downwards(), Now) })
            {
                Assert.That(Seen(card), Does.Not.Contain("12 days of 7 days"));
            }
        });
    }

    [Test]
    public void A_key_result_that_goes_up_still_reads_as_so_many_of_the_target()
    {
        var up = OkrCardSamples.KeyResult(1, unit: "users") with { StartValue = 0, TargetValue = 60, CurrentValue = 42 };

        Assert.That(Seen(OkrCards.Mine([up], Now)), Does.Contain("42 users of 60 users"));
    }

    [Test]
    public void The_digest_says_a_key_result_that_goes_down_the_same_way()
    {
        var churn = new KeyResultLine(1, "Time to resolve a ticket", "Support", "Alice", false, 14, 7, 12, "days", 6, KeyResultHealth.AtRisk,
            2 / 7.0, null, -1, 0.1, false, false);
        var digest = new TeamDigest(1, "Support", "UTC", Now, [churn], [], []);

        var seen = Seen(DigestCards.Team(digest, null, "Sent because: a test"));

        Assert.That(seen, Does.Contain("12 days now, target 7 days (from 14) · at risk"));
    }

    [Test]
    public void Results_show_each_answer_in_the_scales_words_with_a_bar_and_count_after_the_favourable_share()
    {
        var likert = new QuestionResult(1, "likert5", "I know what is expected of me.", 6, 3.83m, new Dictionary<string, int> { ["2"] = 1, ["4"] = 3, ["5"] = 2 }, 83.3m, null, null, []);
        var enps = new QuestionResult(2, "enps", "Recommend us?", 6, 7.5m, new Dictionary<string, int> { ["10"] = 3, ["8"] = 1, ["6"] = 1, ["0"] = 1 }, null, 33.3m, null, []);
        var choice = new QuestionResult(3, "choice", "Least clear goal?", 6, null, new Dictionary<string, int> { ["Revenue"] = 1, ["Quality"] = 5 }, null, null, null, []);

        var seen = Seen(ResultsCards.Results("Pulse", [new GroupResult("Platform", [1], 75m, [likert, enps, choice], null)])).Split('\n');

        Assert.That(seen, Is.SupersetOf(new[]
        {
            "**83 % favourable** (agree or strongly agree) · average 3.83 / 5",
            "Strongly agree", "▰▰▰▱▱▱▱▱▱▱ 2", "Agree", "▰▰▰▰▰▱▱▱▱▱ 3", "Neutral", "▱▱▱▱▱▱▱▱▱▱ 0", "Disagree", "▰▰▱▱▱▱▱▱▱▱ 1", "Strongly disagree",
            "Promoters (9–10)", "▰▰▰▰▰▱▱▱▱▱ 3", "Passives (7–8)", "Detractors (0–6)", "▰▰▰▱▱▱▱▱▱▱ 2",
            "Quality", "▰▰▰▰▰▰▰▰▱▱ 5",
        }));
        Assert.That(Array.IndexOf(seen, "Strongly agree"), Is.LessThan(Array.IndexOf(seen, "Strongly disagree")), "the favourable end first");
        Assert.That(Array.FindIndex(seen, l => l.Contains("favourable", StringComparison.Ordinal)), Is.LessThan(Array.IndexOf(seen, "Strongly agree")));
        Assert.That(Array.IndexOf(seen, "Quality"), Is.LessThan(Array.IndexOf(seen, "Revenue")), "the most chosen option first");
        Assert.That(string.Join("\n", seen), Does.Not.Contain("×"));
    }

    [TestCase(10)]
    [TestCase(4)]
    public void The_comment_box_says_the_surveys_own_threshold_in_words(int threshold)
    {
        var seen = Seen(PulseCards.Pulse(PulseSamples.Run(commentThreshold: threshold), new Dictionary<long, string>()));

        Assert.That(seen, Does.Contain($"only when at least {threshold} people have commented."));
    }

    [Test]
    public void Roll_up_flags_are_in_warning_containers_in_the_default_text_colour_and_each_rule_is_said_once_beside_its_flag()
    {
        var teams = DigestSamples.Organisation(3);
        var json = AdaptiveCardRenderer.Render(RollupCards.Rollup(teams, Now, "UTC", "Sent because: a test"));
        var flags = json["body"]!.AsArray().Where(n => ((string?)n!["items"]?[0]?["text"])?.StartsWith('⚑') == true).ToList();

        Assert.That(flags, Has.Count.EqualTo(teams.Sum(t => t.Flags.Count)).And.Count.GreaterThan(0));
        Assert.Multiple(() =>
        {
            foreach (var flag in flags)
            {
                Assert.That((string?)flag!["style"], Is.EqualTo("warning"), "a style Teams' light and dark host configs both define, with a light background");
                Assert.That(flag["items"]![0]!["color"], Is.Null, "the theme's default text colour, not yellow on white");
            }
        });
        var seen = Seen(RollupCards.Rollup(teams, Now, "UTC", "Sent because: a test"));
        foreach (var rule in teams.SelectMany(t => t.Flags).Select(f => f.Rule).Distinct())
        {
            Assert.That(seen.Split(rule).Length - 1, Is.EqualTo(teams.Sum(t => t.Flags.Count(f => f.Rule == rule))), $"“{rule}” only where it is raised, in no legend");
        }

        Assert.That(seen, Does.Not.Contain("Risk flags:"));
    }
}
