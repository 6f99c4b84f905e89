using System.Globalization;
using AlignmentBot.Bot.Cards;
using AlignmentBot.Scheduler.Okrs.Dependencies;

namespace AlignmentBot.Bot.Okrs;

/// <summary>The key-result list, the check-in card and its outcomes.</summary>
public static class OkrCards
{
    public const string OpenCheckinVerb = "okr.checkin.open";
    public const string CheckinVerb = "okr.checkin";
    public const string SnoozeVerb = "okr.snooze";
    public const string KeyResultKey = "keyResultId";
    public const string SnoozeKey = "for";
    public const string ValueInput = "value";
    public const string ConfidenceInput = "confidence";
    public const string BlockerInput = "blocker";

    /// <summary>A card holds this many key results in full; the rest are summarised, never cut off mid-card.</summary>
    public const int MaxListed = 12;

    public static Card Mine(IReadOnlyList<KeyResultView> keyResults, DateTimeOffset now, IReadOnlyList<DependencyLink>? dependencies = null)
    {
        if (keyResults.Count == 0)
        {
            return new Card("Your key results")
            {
                Body = [new TextBlock("You own no key results yet. When your admin imports your team's OKRs, yours show up here with a Check in button.")],
            };
        }

        var overdue = keyResults.Count(k => k.IsOverdue(now));
        var body = new List<CardBlock>();
        foreach (var kr in keyResults.Take(MaxListed))
        {
            body.Add(new Progress(kr.Title, kr.Progress, OkrText.Status(kr, now)));
            body.AddRange(DependencyText.Lines(kr.Id, dependencies ?? [], now));
            body.Add(new Buttons([new CardAction(kr.IsOverdue(now) ? "Check in (overdue)" : "Check in", OpenCheckinVerb)
            {
                Data = Data(kr), SubmitsInputs = false, Style = kr.IsOverdue(now) ? ActionStyle.Primary : ActionStyle.Default,
            }]));
        }

        if (keyResults.Count > MaxListed)
        {
            body.Add(new TextBlock($"And {keyResults.Count - MaxListed} more, all checked in on time or less urgent; they are in your team's digest.", TextEmphasis.Subtle));
        }

        return new Card("Your key results")
        {
            Subtitle = $"{Count(keyResults.Count, "key result")}{(overdue > 0 ? $" · {overdue} need{(overdue == 1 ? "s" : "")} a check-in" : " · all up to date")}",
            Body = body,
        };
    }

    /// <summary>The check-in card: new value, confidence, an optional blocker. <paramref name="reason"/> is set when a nudge sent it.</summary>
    public static Card CheckIn(KeyResultView kr, DateTimeOffset now, CheckinValues? values = null, string? problem = null, string? reason = null,
        IReadOnlyList<string>? alsoDue = null, IReadOnlyList<DependencyLink>? dependencies = null)
    {
        var body = new List<CardBlock>
        {
            new Progress(kr.Title, kr.Progress, OkrText.Status(kr, now)),
            new FactList(
            [
                new Fact("Objective", kr.ObjectiveTitle + (kr.ParentObjectiveTitle is { } parent ? $" (serves “{parent}”)" : "")),
                new Fact("Start → target", $"{OkrText.Value(kr.StartValue, kr.Unit)} → {OkrText.Value(kr.TargetValue, kr.Unit)}"),
                new Fact("Last check-in", kr.LastCheckinAt is { } at ? OkrText.Local(KeyResultView.Utc(at), kr.OwnerTimeZone) : "none yet"),
            ]),
            new NumberQuestion(ValueInput, kr.Unit.Length > 0 ? $"Current value ({kr.Unit})" : "Current value")
            {
                Value = (double?)(values?.Value ?? kr.CurrentValue), ErrorMessage = "Enter the current value as a number.",
            },
            new ChoiceQuestion(ConfidenceInput, "Confidence you will reach the target (0 = none, 10 = certain)",
                [.. Enumerable.Range(0, 11).Select(i => new Choice(i.ToString(CultureInfo.InvariantCulture), i.ToString(CultureInfo.InvariantCulture)))])
            {
                Expanded = false, Value = (values?.Confidence ?? kr.Confidence)?.ToString(CultureInfo.InvariantCulture), ErrorMessage = "Pick a confidence from 0 to 10.",
            },
            new TextQuestion(BlockerInput, "Anything blocking you? (optional)")
            {
                Multiline = true, MaxLength = CheckinInput.MaxBlockerLength, Value = values?.Blocker, Placeholder = "Your manager sees this; your team sees that there is a blocker.",
            },
        };
        // What it waits for and what waits for it, under its facts and above the inputs.
        body.InsertRange(2, DependencyText.Lines(kr.Id, dependencies ?? [], now));
        // The answer's button right under the inputs, before anything else the card says.
        body.Add(new Buttons([new CardAction("Check in", CheckinVerb) { Style = ActionStyle.Primary, Data = Data(kr) }]));
        if (alsoDue is { Count: > 0 })
        {
            body.Add(new TextBlock($"And {Count(alsoDue.Count, "more key result")} need{(alsoDue.Count == 1 ? "s" : "")} an update: {string.Join(", ", alsoDue.Select(t => $"“{t}”"))}. Type `okrs` to see them all.", TextEmphasis.Warning));
        }

        if (kr.IsOverdue(now))
        {
            // In the body, under their own line: four buttons in a row do not fit a Teams chat column (titles cut off).
            body.Add(new TextBlock("Not now? Snooze the reminders (it shows as stale to your team until you check in):", TextEmphasis.Subtle));
            body.Add(new Buttons([Snooze(kr, "1 day", "1d"), Snooze(kr, "3 days", "3d"), Snooze(kr, "Until next week", "week")]));
        }

        return new Card($"Check in: {kr.Title}") { Problem = problem, Reason = reason, Body = body };
    }

    public static Card CheckedIn(KeyResultView kr, DateTimeOffset now, string? unblocks = null) => new("Checked in — thanks.")
    {
        Body =
        [
            new Progress(kr.Title, kr.Progress, OkrText.Status(kr, now)),
            .. unblocks is null ? Array.Empty<CardBlock>() : [new TextBlock(unblocks, TextEmphasis.Good)],
            new TextBlock($"Next check-in is due by {OkrText.Local(kr.OverdueAt, kr.OwnerTimeZone)}; any reminders for this key result are off until then."),
        ],
        Actions = [new CardAction("Update again", OpenCheckinVerb) { Data = Data(kr), SubmitsInputs = false }],
    };

    public static Card Snoozed(KeyResultView kr, DateTimeOffset until) => new($"Snoozed: {kr.Title}")
    {
        Body = [new TextBlock($"No reminders about it until {OkrText.Local(until, kr.OwnerTimeZone)}. It still shows as stale to your team until you check in.")],
        Actions = [new CardAction("Check in now", OpenCheckinVerb) { Data = Data(kr), SubmitsInputs = false }],
    };

    public static Card NotYours() => new("This key result is not yours to update")
    {
        Body = [new TextBlock("Only its owner can check in on it or snooze it, or it no longer exists. Type `okrs` to see your own key results.")],
    };

    private static CardAction Snooze(KeyResultView kr, string title, string period) => new(title, SnoozeVerb)
    {
        Data = new Dictionary<string, string> { [KeyResultKey] = Id(kr), [SnoozeKey] = period }, SubmitsInputs = false,
    };

    public static Dictionary<string, string> Data(KeyResultView kr) => new() { [KeyResultKey] = Id(kr) };

    private static string Id(KeyResultView kr) => kr.Id.ToString(CultureInfo.InvariantCulture);

    public static string Count(int n, string noun) => n == 1 ? $"1 {noun}" : $"{n} {noun}s";
}
