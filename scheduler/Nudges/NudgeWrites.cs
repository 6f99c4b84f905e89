using AlignmentBot.Scheduler.Delivery;
using Dapper;
using Npgsql;

namespace AlignmentBot.Scheduler.Nudges;

/// <summary>What one planning run decided, written together: the ladder rows and the messages.</summary>
internal sealed class NudgeWrites(long tenantId, DateTimeOffset now)
{
    private readonly List<(long KeyResultId, DateTimeOffset OverdueSince, int Step, long Recipient, string Outcome, string? Key)> _steps = [];
    private readonly List<(long Id, string Key)> _foldedHeld = [];
    private readonly List<(long Id, string Key)> _sentHeld = [];
    private readonly List<NewDelivery> _deliveries = [];

    public void Hold(long owner, IEnumerable<NudgeCandidate> ready)
    {
        foreach (var c in ready)
        {
            _steps.Add((c.KeyResultId, c.OverdueSince, c.LastStep + 1, owner, "held", null));
        }
    }

    public void Owner(long owner, NudgeCandidate lead, int step, IReadOnlyList<NudgeCandidate> folded, IReadOnlyList<NudgeCandidates.Held> foldedHeld, NudgeCandidates.Held? fromHeld)
    {
        var key = NudgePlanner.OwnerKey(lead.KeyResultId, lead.OverdueSince, step) + (fromHeld is null ? "" : ":held");
        if (fromHeld is null)
        {
            _steps.Add((lead.KeyResultId, lead.OverdueSince, step, owner, "sent", key));
        }
        else
        {
            _sentHeld.Add((fromHeld.Id, key));
        }

        _steps.AddRange(folded.Select(c => (c.KeyResultId, c.OverdueSince, c.LastStep + 1, owner, "folded", (string?)key)));
        _foldedHeld.AddRange(foldedHeld.Select(h => (h.Id, key)));
        var foldedIds = folded.Select(c => c.KeyResultId).Concat(foldedHeld.Select(h => h.KeyResultId)).Distinct().ToArray();
        _deliveries.Add(new NewDelivery(tenantId, NudgePlanner.OwnerKind,
            NudgePlanner.Payload(new { keyResultId = lead.KeyResultId, overdueSince = lead.OverdueSince, step, of = NudgeLadder.Steps, folded = foldedIds, heldBack = fromHeld is not null }),
            key, now, PersonId: owner));
    }

    public void Manager(long manager, long team, IReadOnlyList<NudgeCandidate> escalated)
    {
        var key = NudgePlanner.ManagerKey(manager, team, now);
        _steps.AddRange(escalated.Select(c => (c.KeyResultId, c.OverdueSince, NudgeLadder.Steps, manager, "sent", (string?)key)));
        _deliveries.Add(new NewDelivery(tenantId, NudgePlanner.ManagerKind,
            NudgePlanner.Payload(new { teamId = team == 0 ? (long?)null : team, escalated = escalated.Select(c => c.KeyResultId).ToArray() }), key, now, PersonId: manager));
    }

    private const string InsertSteps = """
        INSERT INTO nudges (tenant_id, key_result_id, overdue_since, step, recipient_id, outcome, delivery_key, at)
        SELECT @TenantId, s.key_result_id, s.overdue_since, s.step, s.recipient_id, s.outcome, s.delivery_key, @Now
        FROM unnest(@KeyResultIds, @OverdueSinces, @Steps, @Recipients, @Outcomes, @Keys) AS s(key_result_id, overdue_since, step, recipient_id, outcome, delivery_key)
        ON CONFLICT (key_result_id, overdue_since, step) DO NOTHING
        RETURNING delivery_key
        """;

    private const string UpdateHeld = """
        UPDATE nudges n SET outcome = u.outcome, delivery_key = u.delivery_key, at = CASE WHEN u.outcome = 'sent' THEN @Now ELSE n.at END
        FROM unnest(@Ids, @Outcomes, @Keys) AS u(id, outcome, delivery_key)
        WHERE n.id = u.id AND n.outcome = 'held'
        RETURNING n.delivery_key
        """;

    /// <summary>
    /// Writes the ladder rows; returns the messages whose decision this run made. A step another run already decided
    /// (the unique key) drops its message, so a second run never sends what the first one did.
    /// </summary>
    public async Task<IReadOnlyList<NewDelivery>> WriteAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, CancellationToken ct)
    {
        var decided = new HashSet<string>(StringComparer.Ordinal);
        if (_steps.Count > 0)
        {
            decided.UnionWith((await connection.QueryAsync<string?>(new CommandDefinition(InsertSteps, new
            {
                TenantId = tenantId,
                Now = now,
                KeyResultIds = _steps.Select(s => s.KeyResultId).ToArray(),
                OverdueSinces = _steps.Select(s => s.OverdueSince).ToArray(),
                Steps = _steps.Select(s => (short)s.Step).ToArray(),
                Recipients = _steps.Select(s => s.Recipient).ToArray(),
                Outcomes = _steps.Select(s => s.Outcome).ToArray(),
                Keys = _steps.Select(s => s.Key).ToArray(),
            }, transaction, cancellationToken: ct))).OfType<string>());
        }

        var updates = _sentHeld.Select(h => (h.Id, Outcome: "sent", h.Key)).Concat(_foldedHeld.Select(h => (h.Id, Outcome: "folded", h.Key))).ToArray();
        if (updates.Length > 0)
        {
            decided.UnionWith((await connection.QueryAsync<string?>(new CommandDefinition(UpdateHeld, new
            {
                Now = now,
                Ids = updates.Select(u => u.Id).ToArray(),
                Outcomes = updates.Select(u => u.Outcome).ToArray(),
                Keys = updates.Select(u => u.Key).ToArray(),
            }, transaction, cancellationToken: ct))).OfType<string>());
        }

        return [.. _deliveries.Where(d => decided.Contains(d.IdempotencyKey))];
    }
}
