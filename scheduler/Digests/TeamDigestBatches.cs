namespace AlignmentBot.Scheduler.Digests;

/// <summary>
/// Team digests asked for while another of the same tenant's is being built are built together, in one set-based pass
/// of <see cref="DigestBuilder"/>, the way the roll-up builds every team at once. The dispatcher renders a tenant's
/// weekly burst of digests dozens at a time; one pass for many teams costs the database a fraction of one per team
/// (each pass pays its planning, round trip and transaction once: scripts/bench/digest.sh, <c>digest-profile</c>).
/// A request that finds no build under way starts one at once, so a lone digest waits for nothing; privacy is
/// unchanged, because every threshold is applied per team in the SQL whatever the number of teams.
/// </summary>
public sealed class TeamDigestBatches
{
    /// <summary>At most this many teams in one pass, so one pass stays short and its rows few.</summary>
    public const int MaxTeams = 100;

    private readonly Func<long, IReadOnlyList<long>, DateTimeOffset, CancellationToken, Task<IReadOnlyList<TeamDigest>>> _build;
    private readonly TimeProvider _time;
    private readonly Lock _gate = new();
    private readonly Dictionary<long, List<Request>> _waiting = [];

    private sealed record Request(long TeamId, TaskCompletionSource<TeamDigest?> Done);

    public TeamDigestBatches(DigestBuilder builder, TimeProvider time)
        : this(builder.BuildAsync, time)
    {
    }

    /// <param name="build">The builder's <see cref="DigestBuilder.BuildAsync"/>, or in tests one that counts its passes.</param>
    /// <param name="time">Whose now each pass is built as of.</param>
    internal TeamDigestBatches(Func<long, IReadOnlyList<long>, DateTimeOffset, CancellationToken, Task<IReadOnlyList<TeamDigest>>> build, TimeProvider time)
    {
        _build = build;
        _time = time;
    }

    /// <summary>The team's digest as of now, or null when the tenant has no such team.</summary>
    public Task<TeamDigest?> BuildAsync(long tenantId, long teamId, CancellationToken ct)
    {
        var request = new Request(teamId, new TaskCompletionSource<TeamDigest?>(TaskCreationOptions.RunContinuationsAsynchronously));
        bool lead;
        lock (_gate)
        {
            // A tenant with a list has a pass under way, whose loop will take this request in its next pass.
            lead = !_waiting.TryGetValue(tenantId, out var waiting);
            if (lead)
            {
                _waiting[tenantId] = waiting = [];
            }

            waiting!.Add(request);
        }

        if (lead)
        {
            _ = Task.Run(() => DrainAsync(tenantId), CancellationToken.None);
        }

        // A caller that gives up stops waiting; the pass goes on for the others.
        return request.Done.Task.WaitAsync(ct);
    }

    /// <summary>Passes for the tenant until nobody waits; the tenant's list goes when it is empty.</summary>
    private async Task DrainAsync(long tenantId)
    {
        while (true)
        {
            List<Request> batch;
            lock (_gate)
            {
                var waiting = _waiting[tenantId];
                if (waiting.Count == 0)
                {
                    _waiting.Remove(tenantId);
                    return;
                }

                batch = waiting.GetRange(0, Math.Min(waiting.Count, MaxTeams));
                waiting.RemoveRange(0, batch.Count);
            }

            try
            {
                // Not the callers' tokens: the pass serves several callers, and a pass is short.
                var digests = await _build(tenantId, [.. batch.Select(r => r.TeamId).Distinct()], _time.GetUtcNow(), CancellationToken.None);
                var byTeam = digests.ToDictionary(d => d.TeamId);
                foreach (var request in batch)
                {
                    request.Done.TrySetResult(byTeam.GetValueOrDefault(request.TeamId));
                }
            }
            catch (Exception ex)
            {
                foreach (var request in batch)
                {
                    request.Done.TrySetException(ex);
                }
            }
        }
    }
}
