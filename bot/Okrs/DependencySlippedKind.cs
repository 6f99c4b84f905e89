using System.Text.Json;
using AlignmentBot.Bot.Delivery;
using AlignmentBot.Bot.Turns;
using AlignmentBot.Scheduler.Nudges;
using AlignmentBot.Scheduler.Okrs;

namespace AlignmentBot.Bot.Okrs;

/// <summary>
/// The outbox kind "dependency-slipped" (<c>{"dependencies"}</c>): to the owner of key results others wait on, as things
/// stand when it goes out; nothing when none is still at risk or late, or the recipient no longer owns them.
/// </summary>
public sealed class DependencySlippedKind(OkrStore store, DependencyViews dependencies, RhythmStore rhythm, TimeProvider time) : IDeliveryKind
{
    public string Kind => DependencyNudgePlanner.SlippedKind;

    public async Task<Reply?> RenderAsync(JsonElement payload, long? personId, CancellationToken ct)
    {
        var now = time.GetUtcNow();
        var ids = payload.GetProperty("dependencies").EnumerateArray().Select(e => e.GetInt64()).ToArray();
        var links = (await dependencies.ByIdsAsync(ids, now, ct)).Where(l => l.Slipping && l.WaitedOn.OwnerId == personId).ToList();
        if (links.Count == 0)
        {
            return null;
        }

        var waitedOn = await store.FindManyAsync([.. links.Select(l => l.WaitedOn.Id).Distinct()], ct);
        var settings = await rhythm.ForTenantOfKeyResultAsync(waitedOn[0].Id, ct);
        var teams = string.Join(" and ", links.Select(l => l.Waiting.Team ?? "the company").Distinct());
        return Reply.WithCard(DependencyCards.Slipped(links, waitedOn, now,
            $"Sent because: key results in {teams} wait for yours, and it is {links[0].Why} (rule: a dependency is at risk when the key result waited on is at risk, "
            + "off track or stale, and late when its needed-by date has passed and it is not done). You get at most one such message per dependency a week, "
            + $"only in your working hours ({settings.WorkdayStart}–{settings.WorkdayEnd}), and it counts towards your {settings.WeeklyCap} nudges a week. "
            + "Snooze the key result to quiet these; when it is fine again, those waiting are told."));
    }
}
