using System.Text.Json;
using AlignmentBot.Bot.Delivery;
using AlignmentBot.Bot.Turns;
using AlignmentBot.Scheduler.Nudges;
using AlignmentBot.Scheduler.Okrs;

namespace AlignmentBot.Bot.Okrs;

/// <summary>
/// The outbox kind "nudge-owner" (<c>{"keyResultId", "overdueSince", "step", "of", "folded", "heldBack"}</c>): the check-in
/// card as things stand when it goes out. Nothing is sent when the owner checked in since (the overdue episode moved)
/// or no longer owns it. Every nudge says why: the rule, how overdue, the step of the ladder.
/// </summary>
public sealed class OwnerNudgeKind(OkrStore store, RhythmStore rhythm, DependencyViews dependencies, TimeProvider time) : IDeliveryKind
{
    public string Kind => NudgePlanner.OwnerKind;

    public async Task<Reply?> RenderAsync(JsonElement payload, long? personId, CancellationToken ct)
    {
        var now = time.GetUtcNow();
        var id = payload.GetProperty("keyResultId").GetInt64();
        var episode = payload.GetProperty("overdueSince").GetDateTimeOffset();
        if (await store.FindAsync(id, ct) is not { } kr || kr.OwnerId != personId || Math.Abs((kr.OverdueAt - episode).TotalSeconds) >= 1 || !kr.IsOverdue(now))
        {
            return null;
        }

        var settings = await rhythm.ForTenantOfKeyResultAsync(id, ct);
        var (step, of) = (payload.GetProperty("step").GetInt32(), payload.GetProperty("of").GetInt32());
        var folded = payload.TryGetProperty("folded", out var f) ? f.EnumerateArray().Select(e => e.GetInt64()).ToArray() : [];
        var stillDue = (await store.FindManyAsync(folded, ct)).Where(k => k.OwnerId == personId && k.IsOverdue(now)).Select(k => k.Title).ToList();
        var heldBack = payload.TryGetProperty("heldBack", out var h) && h.GetBoolean();
        return Reply.WithCard(OkrCards.CheckIn(kr, now, reason: Reason(kr, now, step, of, settings, heldBack), alsoDue: stillDue,
            dependencies: await dependencies.OfAsync([kr.Id], now, ct)));
    }

    private static string Reason(KeyResultView kr, DateTimeOffset now, int step, int of, RhythmSettings settings, bool heldBack)
    {
        var next = step switch
        {
            1 => $" If it stays overdue: another reminder in {settings.SecondReminderAfterWorkingDays} working days, then your manager is told.",
            2 => $" If it stays overdue, your manager gets a summary in {settings.ManagerAfterWorkingDays} working day{(settings.ManagerAfterWorkingDays == 1 ? "" : "s")}.",
            _ => "",
        };
        var held = heldBack ? $" This reminder waited: you had already had {settings.WeeklyCap} this week, the most I send anyone." : "";
        return $"Sent because: “{kr.Title}” is overdue — {OkrText.Overdue(kr, now)}, with {settings.GraceDays} day{(settings.GraceDays == 1 ? "" : "s")}' grace " +
            $"(rule: overdue check-in). Step {step} of {of}.{next}{held} Snooze quiets reminders; the key result shows as stale until you check in.";
    }
}

/// <summary>
/// The outbox kind "nudge-manager" (<c>{"teamId", "escalated"}</c>): step 3, one message listing all of the team's overdue
/// key results as they are when it goes out (nothing when all have been checked in meanwhile).
/// </summary>
public sealed class ManagerNudgeKind(OkrStore store, RhythmStore rhythm, TimeProvider time) : IDeliveryKind
{
    public string Kind => NudgePlanner.ManagerKind;

    public async Task<Reply?> RenderAsync(JsonElement payload, long? personId, CancellationToken ct)
    {
        var now = time.GetUtcNow();
        var escalated = payload.GetProperty("escalated").EnumerateArray().Select(e => e.GetInt64()).ToHashSet();
        var overdue = payload.GetProperty("teamId").ValueKind == JsonValueKind.Number
            ? await store.OverdueInTeamAsync(payload.GetProperty("teamId").GetInt64(), now, ct)
            : [.. (await store.FindManyAsync([.. escalated], ct)).Where(k => k.IsOverdue(now))];
        if (overdue.Count == 0 || escalated.Count == 0)
        {
            return null;
        }

        var settings = await rhythm.ForTenantOfKeyResultAsync(escalated.First(), ct);
        var teamName = overdue[0].TeamName ?? "Your reports";
        return Reply.WithCard(TeamCards.ManagerNudge(teamName, overdue, escalated, now,
            $"Sent because: key results in {teamName} are still overdue after two reminders to their owners (rule: overdue check-in, step 3 of 3). " +
            $"You get at most one such summary a week per team, only in your working hours ({settings.WorkdayStart}–{settings.WorkdayEnd})."));
    }
}
