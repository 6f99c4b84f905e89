using System.Globalization;
using AlignmentBot.Bot.Cards;
using AlignmentBot.Bot.Pulses;
using AlignmentBot.Bot.Turns;

namespace AlignmentBot.Bot.FocusAreas;

/// <summary>
/// "Did it help?" answered on its own (a tap on a Slack button): the same checks as a pulse answer — the person's own
/// run (who they are comes from the turn, never the card), open, and asking about this focus — then the card again.
/// </summary>
public sealed class FocusFollowupAction(PulseStore store, FocusFollowupStore followups, RespondentKeys keys, TimeProvider time) : ICardAction
{
    public string Verb => FocusCardBlocks.FollowupVerb;

    public async Task<Card> HandleAsync(Turn turn, CardSubmission submission, CancellationToken ct)
    {
        if (turn.PersonId is not { } personId || !long.TryParse(submission.Get(PulseCards.RunKey), NumberStyles.None, CultureInfo.InvariantCulture, out var runId)
            || await store.RunAsync(personId, runId, ct) is not { } run)
        {
            return PulseCards.NotYours();
        }

        if (!run.IsOpen(time.GetUtcNow()))
        {
            return PulseCards.Closed(run);
        }

        var key = keys.For(run.RunId, personId);
        var answers = await store.AnswersAsync(run.RunId, key, ct);
        if (run.Focus is not { Asks: true } focus || submission.Get(FocusCardBlocks.FocusKey) != focus.Id.ToString(CultureInfo.InvariantCulture))
        {
            return PulseCards.Pulse(run, answers, "That question is not part of this pulse; answer the ones below.");
        }

        var (answer, problem) = FocusFollowupStore.Read(run, submission);
        if (problem is not null)
        {
            return PulseCards.Pulse(run, answers, problem) with { ProblemInput = FocusCardBlocks.InputId(focus.Id) };
        }

        await followups.RecordAsync(run, key, answer, ct);
        return run.Questions.All(q => !q.Required || answers.ContainsKey(q.Id))
            ? PulseCards.Answered(run, answers)
            : FocusFollowupStore.WithFollowup(PulseCards.Pulse(run, answers), run, answer);
    }
}
