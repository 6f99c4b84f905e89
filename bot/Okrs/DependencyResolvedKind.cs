using System.Text.Json;
using AlignmentBot.Bot.Delivery;
using AlignmentBot.Bot.Turns;
using AlignmentBot.Scheduler.Nudges;

namespace AlignmentBot.Bot.Okrs;

/// <summary>
/// The outbox kind "dependency-resolved" (<c>{"dependencies"}</c>): to the owner of a waiting key result, when what it waits
/// for is fine again after its owner was told it had slipped; nothing when it slipped again meanwhile or was removed.
/// </summary>
public sealed class DependencyResolvedKind(DependencyViews dependencies, TimeProvider time) : IDeliveryKind
{
    public string Kind => DependencyNudgePlanner.ResolvedKind;

    public async Task<Reply?> RenderAsync(JsonElement payload, long? personId, CancellationToken ct)
    {
        var now = time.GetUtcNow();
        var ids = payload.GetProperty("dependencies").EnumerateArray().Select(e => e.GetInt64()).ToArray();
        var links = (await dependencies.ByIdsAsync(ids, now, ct)).Where(l => !l.Slipping && l.Waiting.OwnerId == personId).ToList();
        return links.Count == 0
            ? null
            : Reply.WithCard(DependencyCards.Resolved(links, now,
                "Sent because: your key result waits for this one, and its owner was told it had slipped; now it is fine again (rule: dependency resolved). "
                + "`okrs` shows what your key results wait for."));
    }
}
