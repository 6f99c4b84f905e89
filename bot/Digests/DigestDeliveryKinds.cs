using System.Text.Json;
using AlignmentBot.Bot.Delivery;
using AlignmentBot.Bot.Turns;
using AlignmentBot.Scheduler.Digests;

namespace AlignmentBot.Bot.Digests;

/// <summary>
/// The outbox kind "digest" (<c>{"tenantId", "teamId", "week", "schedule"}</c>): the team's digest, built when it is
/// sent (so a digest held back by a paused tenant still says how things stand, and the chart's URL is fresh); nothing
/// when the team is gone. The outbox row's key (team and ISO week) makes it one message however often it is enqueued.
/// </summary>
/// <remarks>The dispatcher renders many of a tenant's rows at once; their digests are built together (<see cref="TeamDigestBatches"/>).</remarks>
public sealed class TeamDigestKind(TeamDigestBatches digests, DigestChartLink charts) : IDeliveryKind
{
    public string Kind => DigestScheduler.TeamKind;

    public async Task<Reply?> RenderAsync(JsonElement payload, long? personId, CancellationToken ct)
    {
        var tenantId = payload.GetProperty("tenantId").GetInt64();
        var teamId = payload.GetProperty("teamId").GetInt64();
        if (await digests.BuildAsync(tenantId, teamId, ct) is not { } digest)
        {
            return null;
        }

        var chart = await charts.PublishAsync(tenantId, digest, ct);
        return Reply.WithCard(DigestCards.Team(digest, chart, $"Sent because: this channel gets {digest.Team}'s weekly digest {payload.GetProperty("schedule").GetString()}."));
    }
}

/// <summary>The outbox kind "digest-rollup" (<c>{"tenantId", "week", "schedule"}</c>): the leaders' roll-up, built when it is sent.</summary>
public sealed class RollupDigestKind(DigestBuilder builder, TimeProvider time) : IDeliveryKind
{
    public string Kind => DigestScheduler.RollupKind;

    public async Task<Reply?> RenderAsync(JsonElement payload, long? personId, CancellationToken ct)
    {
        var tenantId = payload.GetProperty("tenantId").GetInt64();
        var teams = await builder.BuildAsync(tenantId, null, time.GetUtcNow(), ct);
        if (teams.Count == 0)
        {
            return null;
        }

        var who = personId is null ? "this is the leaders' channel" : "you are listed as a leader";
        return Reply.WithCard(RollupCards.Rollup(teams, time.GetUtcNow(), await builder.TenantTimeZoneAsync(tenantId, ct),
            $"Sent because: {who}; the roll-up goes out {payload.GetProperty("schedule").GetString()}."));
    }
}
