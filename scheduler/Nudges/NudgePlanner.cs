using System.Globalization;
using System.Text.Json;
using AlignmentBot.Scheduler.Calendar;
using AlignmentBot.Scheduler.Delivery;
using AlignmentBot.Scheduler.Okrs;
using Dapper;
using Npgsql;

namespace AlignmentBot.Scheduler.Nudges;

/// <summary>
/// Decides, at one instant, which nudges go out, and writes them (ladder state + outbox) in one transaction per tenant.
/// Per person and run at most one message: the most overdue key result's check-in card, with every other key result
/// due at the same time, and whatever the weekly cap held back before, folded in ("and 2 more key results need an
/// update"). At the cap, what falls due is held (the ladder still moves on, so the manager still hears of it).
/// A tenant is planned under an advisory lock and each step is unique per key result and overdue episode, so a job
/// fired twice, or on two instances at once, decides and sends every nudge once.
/// </summary>
public sealed class NudgePlanner(NpgsqlDataSource dataSource, Outbox outbox, DependencyNudgePlanner? dependencies = null)
{
    private readonly DependencyNudgePlanner _dependencies = dependencies ?? new DependencyNudgePlanner(dataSource, outbox);

    public const string OwnerKind = "nudge-owner";
    public const string ManagerKind = "nudge-manager";

    private static readonly string SelectDueTenants = $"""
        SELECT DISTINCT kr.tenant_id FROM key_results kr JOIN tenants t ON t.id = kr.tenant_id
        WHERE kr.owner_id IS NOT NULL
          AND {KeyResultRules.OverdueSinceForTenantSql} <= @Now
        """;

    /// <summary>Plans every tenant with an overdue key result, then the nudges about dependencies; returns how many messages were enqueued.</summary>
    public async Task<int> PlanAsync(DateTimeOffset now, CancellationToken ct)
    {
        long[] tenants;
        await using (var connection = await dataSource.OpenConnectionAsync(ct))
        {
            tenants = [.. await connection.QueryAsync<long>(new CommandDefinition(SelectDueTenants, new { Now = now }, cancellationToken: ct))];
        }

        var enqueued = 0;
        foreach (var tenant in tenants)
        {
            enqueued += await PlanTenantAsync(tenant, now, ct);
        }

        // After the ladder, so the cap counts what the ladder just sent.
        return enqueued + await _dependencies.PlanAsync(now, ct);
    }

    private async Task<int> PlanTenantAsync(long tenantId, DateTimeOffset now, CancellationToken ct)
    {
        await using var connection = await dataSource.OpenConnectionAsync(ct);
        await using var transaction = await connection.BeginTransactionAsync(ct);
        await connection.ExecuteAsync(new CommandDefinition("SELECT pg_advisory_xact_lock(hashtext('nudges'), @TenantId::int)", new { TenantId = tenantId }, transaction, cancellationToken: ct));
        var tenant = await connection.QuerySingleAsync<(string Zone, string? Rhythm)>(new CommandDefinition(
            "SELECT time_zone, (settings->'rhythm')::text FROM tenants WHERE id = @TenantId", new { TenantId = tenantId }, transaction, cancellationToken: ct));
        var settings = RhythmSettings.FromJson(tenant.Rhythm);
        var candidates = await NudgeCandidates.OverdueAsync(connection, transaction, tenantId, WorkingTime.Zone(tenant.Zone, TimeZoneInfo.Utc), settings, now, ct);
        var plan = new NudgeWrites(tenantId, now);

        var current = candidates.ToDictionary(c => c.KeyResultId);
        var held = (await NudgeCandidates.HeldAsync(connection, transaction, tenantId, now, ct))
            .Where(h => current.TryGetValue(h.KeyResultId, out var c) && c.OverdueSince == NudgeCandidates.Utc(h.OverdueSince) && !NudgeLadder.IsQuiet(c, now))
            .ToList();
        var sent = await NudgeCandidates.SentThisWeekAsync(connection, transaction, tenantId, now, ct);
        var ready = candidates.Where(c => NudgeLadder.Ready(c, settings, now)).ToList();

        foreach (var owner in ready.Where(c => c.LastStep < 2).Select(c => c.OwnerId).Concat(held.Where(h => NudgeLadder.InWorkingHours(now, current[h.KeyResultId].OwnerZone, settings)).Select(h => h.RecipientId)).Distinct())
        {
            PlanOwner(plan, owner, [.. ready.Where(c => c.OwnerId == owner && c.LastStep < 2)], [.. held.Where(h => h.RecipientId == owner)],
                settings.WeeklyCap - sent.GetValueOrDefault(owner), current);
        }

        var toldThisWeek = await NudgeCandidates.ManagerMessagesThisWeekAsync(connection, transaction, tenantId, now, ct);
        foreach (var team in ready.Where(c => c.LastStep == 2).GroupBy(c => (Manager: c.ManagerId!.Value, Team: c.TeamId ?? 0)))
        {
            if (!toldThisWeek.Contains(team.Key) && sent.GetValueOrDefault(team.Key.Manager) < settings.WeeklyCap)
            {
                // Everything of the team that has been reminded twice is in this one message, due or not yet.
                var escalated = candidates.Where(c => c.ManagerId == team.Key.Manager && (c.TeamId ?? 0) == team.Key.Team && c.LastStep == 2 && !NudgeLadder.IsQuiet(c, now));
                plan.Manager(team.Key.Manager, team.Key.Team, [.. escalated]);
            }
        }

        var written = await plan.WriteAsync(connection, transaction, ct);
        await outbox.EnqueueAsync(connection, transaction, written, ct);
        await transaction.CommitAsync(ct);
        return written.Count;
    }

    private static void PlanOwner(NudgeWrites plan, long owner, IReadOnlyList<NudgeCandidate> ready, IReadOnlyList<NudgeCandidates.Held> held, int room,
        Dictionary<long, NudgeCandidate> current)
    {
        if (room <= 0)
        {
            plan.Hold(owner, ready);
            return;
        }

        if (ready.Count > 0)
        {
            plan.Owner(owner, ready[0], ready[0].LastStep + 1, folded: [.. ready.Skip(1)], foldedHeld: held, fromHeld: null);
        }
        else if (held.Count > 0)
        {
            plan.Owner(owner, current[held[0].KeyResultId], held[0].Step, folded: [], foldedHeld: [.. held.Skip(1)], fromHeld: held[0]);
        }
    }

    /// <summary>The owner's delivery key for a step of an episode: the same decision always makes the same key.</summary>
    public static string OwnerKey(long keyResultId, DateTimeOffset overdueSince, int step) =>
        string.Create(CultureInfo.InvariantCulture, $"nudge:{keyResultId}:{overdueSince.ToUnixTimeMilliseconds()}:{step}");

    public static string ManagerKey(long managerId, long teamId, DateTimeOffset now) =>
        string.Create(CultureInfo.InvariantCulture, $"nudge-manager:{teamId}:{managerId}:{now.ToUnixTimeMilliseconds()}");

    internal static JsonElement Payload(object value) => JsonSerializer.SerializeToElement(value, JsonSerializerOptions.Web);
}
