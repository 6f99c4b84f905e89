using System.Globalization;
using AlignmentBot.Bot.Cards;
using AlignmentBot.Bot.Pulses;
using AlignmentBot.Scheduler.Digests;

namespace AlignmentBot.Bot.FocusAreas;

/// <summary>The focus's part of the pulse card (above the questions, and its one optional follow-up) and of the team digest.</summary>
public static class FocusCardBlocks
{
    public const string FollowupVerb = "focus.followup";
    public const string FocusKey = "focus";

    public static string InputId(long focusId) => $"focus{focusId.ToString(CultureInfo.InvariantCulture)}";

    /// <summary>Above the pulse's questions: what the team said and what it is doing about it.</summary>
    public static IEnumerable<CardBlock> AboveQuestions(PersonRun run)
    {
        if (run.Focus is { } f)
        {
            yield return FocusText.YouSaid(f.Driver, f.SourceMean, f.SourceFavourable, f.Survey, f.Plan);
        }
    }

    /// <summary>After the questions, in the run that asks: "Did it help?", optional, one tap in Slack.</summary>
    public static IEnumerable<CardBlock> Followup(PersonRun run, string? value = null)
    {
        if (run.Focus is { Asks: true } f)
        {
            yield return new ChoiceQuestion(InputId(f.Id), FocusText.Question(f.Driver), FocusText.FollowupChoices)
            {
                Required = false,
                Value = value,
                ErrorMessage = "Pick Yes, Somewhat or No, or leave it.",
                AnswerAlone = new CardAction("Answer", FollowupVerb)
                {
                    Data = new Dictionary<string, string>
                    {
                        [PulseCards.RunKey] = run.RunId.ToString(CultureInfo.InvariantCulture),
                        [FocusKey] = f.Id.ToString(CultureInfo.InvariantCulture),
                    },
                    SubmitsInputs = false,
                },
            };
        }
    }

    /// <summary>The digest's section: the active focus and, once its run closed, whether it helped (at or above the threshold only).</summary>
    public static IEnumerable<CardBlock> Digest(TeamDigest digest)
    {
        if (digest.Focus.Count == 0)
        {
            yield break;
        }

        yield return new TextBlock("Acting on results", TextEmphasis.Heading);
        foreach (var f in digest.Focus)
        {
            yield return FocusText.YouSaid(f.Driver, f.SourceMean, f.SourceFavourable, f.Survey, f.Plan);
            if (f.Followup is { } followup)
            {
                yield return new PlainText(FocusText.Followup(followup), TextEmphasis.Subtle);
            }
        }
    }
}
