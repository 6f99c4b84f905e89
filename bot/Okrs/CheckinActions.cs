using System.Globalization;
using AlignmentBot.Bot.Cards;
using AlignmentBot.Bot.Turns;
using AlignmentBot.Scheduler.Calendar;
using AlignmentBot.Scheduler.Okrs;

namespace AlignmentBot.Bot.Okrs;

/// <summary>
/// The check-in card's buttons. Who acts comes from the authenticated turn, never from the card: only a key result's
/// owner can open its check-in, check in or snooze it.
/// </summary>
public abstract class OwnedKeyResultAction(OkrStore store) : ICardAction
{
    public abstract string Verb { get; }

    protected OkrStore Store => store;

    public async Task<Card> HandleAsync(Turn turn, CardSubmission submission, CancellationToken ct)
    {
        if (turn.PersonId is not { } personId
            || !long.TryParse(submission.Get(OkrCards.KeyResultKey), NumberStyles.None, CultureInfo.InvariantCulture, out var id)
            || await store.FindAsync(id, ct) is not { } kr || kr.OwnerId != personId)
        {
            return OkrCards.NotYours();
        }

        return await HandleAsync(kr, personId, submission, ct);
    }

    protected abstract Task<Card> HandleAsync(KeyResultView kr, long personId, CardSubmission submission, CancellationToken ct);
}

/// <summary>"Check in" under a key result: the check-in card.</summary>
public sealed class OpenCheckinAction(OkrStore store, DependencyViews dependencies, TimeProvider time) : OwnedKeyResultAction(store)
{
    public override string Verb => OkrCards.OpenCheckinVerb;

    protected override async Task<Card> HandleAsync(KeyResultView kr, long personId, CardSubmission submission, CancellationToken ct)
    {
        var now = time.GetUtcNow();
        return OkrCards.CheckIn(kr, now, dependencies: await dependencies.OfAsync([kr.Id], now, ct));
    }
}

/// <summary>Submit a check-in: validated, recorded, the key result moved, its pending nudges cancelled.</summary>
public sealed class CheckinAction(OkrStore store, DependencyViews dependencies, TimeProvider time) : OwnedKeyResultAction(store)
{
    public override string Verb => OkrCards.CheckinVerb;

    protected override async Task<Card> HandleAsync(KeyResultView kr, long personId, CardSubmission submission, CancellationToken ct)
    {
        var now = time.GetUtcNow();
        var (values, problem, problemInput) = CheckinInput.Read(kr, submission);
        if (problem is not null)
        {
            return OkrCards.CheckIn(kr, now, values, problem, dependencies: await dependencies.OfAsync([kr.Id], now, ct)) with { ProblemInput = problemInput };
        }

        var before = await dependencies.OfAsync([kr.Id], now, ct);
        await Store.CheckInAsync(kr.Id, personId, values.Value!.Value, values.Confidence!.Value, values.Blocker, now, ct);
        var unblocks = DependencyText.Unblocks(before, await dependencies.OfAsync([kr.Id], now, ct), kr.Id);
        return OkrCards.CheckedIn((await Store.FindAsync(kr.Id, ct))!, now, unblocks);
    }
}

/// <summary>Snooze (1 day, 3 days, until next week): the reminders wait; the key result still shows as stale.</summary>
public sealed class SnoozeAction(OkrStore store, RhythmStore rhythm, TimeProvider time) : OwnedKeyResultAction(store)
{
    public override string Verb => OkrCards.SnoozeVerb;

    protected override async Task<Card> HandleAsync(KeyResultView kr, long personId, CardSubmission submission, CancellationToken ct)
    {
        var now = time.GetUtcNow();
        DateTimeOffset? until = submission.Get(OkrCards.SnoozeKey) switch
        {
            "1d" => now.AddDays(1),
            "3d" => now.AddDays(3),
            "week" => NextMonday(now, kr.OwnerTimeZone, (await rhythm.ForTenantOfKeyResultAsync(kr.Id, ct)).Start),
            _ => null,
        };
        if (until is null)
        {
            return OkrCards.CheckIn(kr, now, problem: "Pick one of the snooze buttons: 1 day, 3 days or until next week.");
        }

        await Store.SnoozeAsync(kr.Id, until.Value, ct);
        return OkrCards.Snoozed(kr, until.Value);
    }

    /// <summary>The start of the owner's working day next Monday.</summary>
    private static DateTimeOffset NextMonday(DateTimeOffset now, TimeZoneInfo zone, TimeOnly start)
    {
        var today = DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(now, zone).DateTime);
        var days = ((int)DayOfWeek.Monday - (int)today.DayOfWeek + 7) % 7;
        return WorkingTime.ToInstant(today.AddDays(days == 0 ? 7 : days).ToDateTime(start), zone);
    }
}
