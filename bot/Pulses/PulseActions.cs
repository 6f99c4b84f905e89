using System.Globalization;
using System.Text.Json;
using AlignmentBot.Bot.Cards;
using AlignmentBot.Bot.Delivery;
using AlignmentBot.Bot.FocusAreas;
using AlignmentBot.Bot.Turns;

namespace AlignmentBot.Bot.Pulses;

/// <summary>
/// Submit: the person's own run only (who they are comes from the authenticated turn, never from the card);
/// refused after close; a problem brings the card back with the problem named and the answers kept.
/// </summary>
public sealed class PulseSubmitAction(PulseStore store, RespondentKeys keys, TimeProvider time, FocusFollowupStore followups) : ICardAction
{
    public string Verb => PulseCards.SubmitVerb;

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

        var (answers, problem, values) = PulseAnswers.Read(run, submission);
        var (followup, followupProblem) = FocusFollowupStore.Read(run, submission);
        if ((problem ?? followupProblem) is not null)
        {
            return PulseCards.Pulse(run, values, string.Join(" ", new[] { problem, followupProblem }.OfType<string>()));
        }

        await store.RecordAsync(run, keys.For(run.RunId, personId), answers, ct);
        // "Did it help?" is optional: left empty it keeps an earlier answer (a reminder's card does not fill it in).
        if (followup is not null)
        {
            await followups.RecordAsync(run, keys.For(run.RunId, personId), followup, ct);
        }

        return PulseCards.Thanks(run);
    }
}

/// <summary>
/// One question answered on its own (a tap on a Slack button, a comment from its dialog): the same checks as a whole
/// submission, only that answer written, the person's other answers kept. The card comes back with the question marked
/// answered (never the answer), or, once every required question has one, as "Thanks — recorded".
/// </summary>
public sealed class PulseAnswerAction(PulseStore store, RespondentKeys keys, TimeProvider time) : ICardAction
{
    public string Verb => PulseCards.AnswerVerb;

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
        if (!long.TryParse(submission.Get(PulseCards.QuestionKey), NumberStyles.None, CultureInfo.InvariantCulture, out var questionId)
            || run.Questions.FirstOrDefault(q => q.Id == questionId) is not { } question)
        {
            return PulseCards.Pulse(run, await store.AnswersAsync(run.RunId, key, ct), "That question is not part of this pulse; answer the ones below.");
        }

        var (answer, problem) = PulseAnswers.ReadOne(question, submission);
        if (problem is not null)
        {
            return PulseCards.Pulse(run, await store.AnswersAsync(run.RunId, key, ct), problem) with { ProblemInput = PulseCards.InputId(question.Id) };
        }

        await store.RecordOneAsync(run, key, question.Id, answer, ct);
        var answers = await store.AnswersAsync(run.RunId, key, ct);
        return run.Questions.All(q => !q.Required || answers.ContainsKey(q.Id)) ? PulseCards.Answered(run, answers) : PulseCards.Pulse(run, answers);
    }
}

/// <summary>Edit: the card comes back with the person's own answers filled in, until the run closes.</summary>
public sealed class PulseEditAction(PulseStore store, RespondentKeys keys, TimeProvider time) : ICardAction
{
    public string Verb => PulseCards.EditVerb;

    public async Task<Card> HandleAsync(Turn turn, CardSubmission submission, CancellationToken ct)
    {
        if (turn.PersonId is not { } personId || !long.TryParse(submission.Get(PulseCards.RunKey), NumberStyles.None, CultureInfo.InvariantCulture, out var runId)
            || await store.RunAsync(personId, runId, ct) is not { } run)
        {
            return PulseCards.NotYours();
        }

        return run.IsOpen(time.GetUtcNow())
            ? PulseCards.Pulse(run, await store.AnswersAsync(run.RunId, keys.For(run.RunId, personId), ct))
            : PulseCards.Closed(run);
    }
}

/// <summary><c>pulse</c>: your open pulse card, with what you already answered.</summary>
public sealed class PulseCommand(PulseStore store, RespondentKeys keys, TimeProvider time) : IBotCommand
{
    public string Name => "pulse";

    public bool IsPrivate => true;

    public string Description => "Your open pulse survey, to answer or change your answers.";

    public async Task<Reply> RunAsync(Turn turn, string arguments, CancellationToken ct)
    {
        if (turn.PersonId is not { } personId || await store.RunAsync(personId, null, ct) is not { } run || !run.IsOpen(time.GetUtcNow()))
        {
            return Reply.WithText("You have no open pulse right now. When the next one opens, I'll send it to you here.");
        }

        return Reply.WithCard(PulseCards.Pulse(run, await store.AnswersAsync(run.RunId, keys.For(run.RunId, personId), ct)));
    }
}

/// <summary>The outbox kind "pulse" (<c>{"runId": n}</c>): the card as it is when it goes out; nothing once the run closed.</summary>
public sealed class PulseDeliveryKind(PulseStore store, TimeProvider time) : IDeliveryKind
{
    public string Kind => Scheduler.Pulses.PulseRunOpener.DeliveryKind;

    public async Task<Reply?> RenderAsync(JsonElement payload, long? personId, CancellationToken ct)
    {
        var runId = payload.GetProperty("runId").GetInt64();
        if (personId is not { } person || await store.RunAsync(person, runId, ct) is not { } run || !run.IsOpen(time.GetUtcNow()))
        {
            return null;
        }

        return Reply.WithCard(PulseCards.Pulse(run, new Dictionary<long, string>(),
            reason: $"Sent because: you are in the audience of “{run.SurveyName}”, at your local pulse time."));
    }
}

/// <summary>
/// The outbox kind "pulse-reminder" (<c>{"runId", "step", "of"}</c>): only while the run is open, and not to someone the
/// batch has flagged as answered (<see cref="AnsweredMarker"/> also cancels those reminders in its own transaction). Someone
/// who answered since the last batch still gets it, with their answers filled in: cancelling it one person at a time would
/// write, next to their name, that they had answered by then.
/// </summary>
public sealed class PulseReminderKind(PulseStore store, RespondentKeys keys, TimeProvider time) : IDeliveryKind
{
    public string Kind => Scheduler.Pulses.PulseRunOpener.ReminderKind;

    public async Task<Reply?> RenderAsync(JsonElement payload, long? personId, CancellationToken ct)
    {
        var runId = payload.GetProperty("runId").GetInt64();
        if (personId is not { } person || await store.RunAsync(person, runId, ct) is not { } run || !run.IsOpen(time.GetUtcNow())
            || await store.IsFlaggedAnsweredAsync(run.RunId, person, ct))
        {
            return null;
        }

        var (step, of) = (payload.GetProperty("step").GetInt32(), payload.GetProperty("of").GetInt32());
        var answers = await store.AnswersAsync(run.RunId, keys.For(run.RunId, person), ct);
        return Reply.WithCard(PulseCards.Pulse(run, answers, reason: answers.Count == 0
            ? $"Sent because: you have not answered “{run.SurveyName}” yet (reminder {step} of {of}; it closes {PulseCards.LocalClose(run)}). Nobody is told who has answered."
            : $"Sent because: “{run.SurveyName}” is still open (reminder {step} of {of}; it closes {PulseCards.LocalClose(run)}). Your answers are filled in; change them or leave them. Nobody is told who has answered."));
    }
}
