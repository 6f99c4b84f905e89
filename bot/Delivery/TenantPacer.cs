using System.Collections.Concurrent;
using Microsoft.Extensions.Options;

namespace AlignmentBot.Bot.Delivery;

/// <summary>
/// Keeps each tenant under Teams' per-tenant limit (requests per second, counted where Teams receives them)
/// without waiting for 429s. A bucket of <see cref="DeliveryOptions.TenantRequestsPerWindow"/> tokens per tenant:
/// a request takes one, and the token comes back one second after the last moment Teams can have received the
/// request (<see cref="PacingRule"/>: by default its answer). A window at Teams that held more than the bucket
/// would need a request whose token was still out when the newest of them took its own — so none does, however
/// the network or a stalled thread bunches requests on the way: the guarantee a rate-only token bucket loses to
/// jitter. Requests are also spread out, 1/limit s apart on average (no bursts). After a 429 the whole tenant
/// pauses, as Company Communicator does. A tenant quiet for a while is forgotten (<see cref="Sweep"/>).
/// </summary>
public sealed class TenantPacer(IOptions<DeliveryOptions> options, TimeProvider time)
{
    private static readonly TimeSpan Window = TimeSpan.FromSeconds(1);

    /// <summary>A tenant with nothing out and no pause is forgotten after this long.</summary>
    private static readonly TimeSpan ForgetAfter = TimeSpan.FromSeconds(30);

    private readonly ConcurrentDictionary<long, Tenant> _tenants = new();

    private sealed class Tenant
    {
        public List<TenantSlot> Out { get; } = [];

        /// <summary>When the tokens of answered requests come back (only those still to come).</summary>
        public List<DateTimeOffset> Returning { get; } = [];

        public DateTimeOffset NextSlot { get; set; } = DateTimeOffset.MinValue;

        /// <summary>By the Sent rule: how late after sending Teams may receive this tenant's requests (learnt from 429s).</summary>
        public TimeSpan Allowance { get; set; }

        /// <summary>When the allowance last changed: raised by a 429, or lowered after a quiet spell.</summary>
        public DateTimeOffset AllowanceChangedAt { get; set; } = DateTimeOffset.MinValue;
        public DateTimeOffset PausedUntil { get; set; } = DateTimeOffset.MinValue;
        public DateTimeOffset LastUsed { get; set; }
        public int ConsecutiveThrottles { get; set; }

        /// <summary>The platform's own rate for this tenant (a Slack workspace's budget); null: <see cref="DeliveryOptions.TenantRequestsPerSecond"/>.</summary>
        public double? RequestsPerSecond { get; set; }

        /// <summary>Forgotten by <see cref="Sweep"/>: whoever still holds it looks the tenant up again.</summary>
        public bool Retired { get; set; }

        /// <summary>One waiter at a time watches the clock; the others queue here without polling.</summary>
        public SemaphoreSlim Gate { get; } = new(1, 1);
    }

    /// <summary>The Sent rule's allowance never grows past this: by then it is as safe as the Answered rule for most calls.</summary>
    private static readonly TimeSpan MostAllowance = TimeSpan.FromSeconds(1);

    /// <summary>
    /// After this long without a 429 a tenant's learnt allowance goes one step back toward the setting: a late
    /// moment (a stalled network or host) passes, and every millisecond of allowance costs rate for good.
    /// </summary>
    private static readonly TimeSpan AllowanceQuietSpell = TimeSpan.FromSeconds(30);

    private Tenant NewTenant(long _) => new() { Allowance = options.Value.ArrivalAllowance };

    /// <summary>
    /// A pause after a 429 this short (Teams' Retry-After is usually a second) is waited out with the rows in hand:
    /// putting them back and claiming them again cost more than the pause. During a longer one a token is granted
    /// at once, for the caller to see <see cref="PausedUntil"/> and put its row back, well inside the row's lease.
    /// </summary>
    public static readonly TimeSpan ShortPause = TimeSpan.FromSeconds(5);

    /// <summary>The least time between two requests of one tenant.</summary>
    public TimeSpan Spacing => TimeSpan.FromSeconds(1 / options.Value.TenantRequestsPerSecond);

    /// <summary>Tenants remembered now (busy, paused, or quiet for less than half a minute).</summary>
    public int TenantCount => _tenants.Count;

    /// <summary>Waits for a token of the tenant; see <see cref="TenantSlot"/> for what to do with it.</summary>
    public ValueTask<TenantSlot> AcquireAsync(long tenantId, CancellationToken ct) => AcquireAsync(tenantId, null, ct);

    /// <summary>As <see cref="AcquireAsync(long, CancellationToken)"/>, at the platform's own rate for the tenant when it has one.</summary>
    public async ValueTask<TenantSlot> AcquireAsync(long tenantId, double? requestsPerSecond, CancellationToken ct)
    {
        while (true)
        {
            var tenant = _tenants.GetOrAdd(tenantId, NewTenant);
            tenant.RequestsPerSecond = requestsPerSecond;
            await tenant.Gate.WaitAsync(ct);
            try
            {
                while (true)
                {
                    var (slot, wait, retired) = TryTake(tenant);
                    if (slot is not null || retired)
                    {
                        if (slot is not null)
                        {
                            return slot;
                        }

                        break;
                    }

                    await Task.Delay(wait > TimeSpan.Zero ? wait : TimeSpan.FromMilliseconds(1), time, ct);
                }
            }
            finally
            {
                tenant.Gate.Release();
            }
        }
    }

    /// <summary>A token now if one is free (and the spacing has passed); otherwise how long until that may change.</summary>
    public TenantSlot? TryAcquire(long tenantId, out TimeSpan retryIn)
    {
        while (true)
        {
            var (slot, wait, retired) = TryTake(_tenants.GetOrAdd(tenantId, NewTenant));
            if (!retired)
            {
                retryIn = wait;
                return slot;
            }
        }
    }

    private (TenantSlot? Slot, TimeSpan Wait, bool Retired) TryTake(Tenant tenant)
    {
        var limit = tenant.RequestsPerSecond is { } rate ? Math.Max(1, (int)Math.Floor(rate * (1 - options.Value.Headroom))) : options.Value.TenantRequestsPerWindow;
        var spacing = tenant.RequestsPerSecond is { } own ? TimeSpan.FromSeconds(1 / own) : Spacing;
        lock (tenant)
        {
            if (tenant.Retired)
            {
                return (null, TimeSpan.Zero, true);
            }

            var now = time.GetUtcNow();
            tenant.LastUsed = now;
            Relax(tenant, now);
            if (now < tenant.PausedUntil && tenant.PausedUntil - now <= ShortPause)
            {
                return (null, tenant.PausedUntil - now, false);
            }

            tenant.Returning.RemoveAll(t => t <= now);
            var held = tenant.Returning.Count + tenant.Out.Count(s => ReturnsAt(tenant, s) > now);
            if (now >= tenant.NextSlot && held < limit)
            {
                var slot = new TenantSlot(time, s => Release(tenant, s));
                tenant.Out.Add(slot);
                // On a schedule, not "now + spacing": a timer a little late must not slow the tenant down.
                // After a pause (idle, or a whole interval late) the schedule starts again from now.
                tenant.NextSlot = tenant.NextSlot + spacing > now ? tenant.NextSlot + spacing : now + spacing;
                return (slot, TimeSpan.Zero, false);
            }

            // The next moment something can change: the spacing ends, or the soonest token known comes back; with
            // every token out until its answer, look again after one spacing.
            if (now < tenant.NextSlot)
            {
                return (null, tenant.NextSlot - now, false);
            }

            var soonest = tenant.Returning.Concat(tenant.Out.Select(s => ReturnsAt(tenant, s))).Where(t => t > now).DefaultIfEmpty(DateTimeOffset.MaxValue).Min();
            return (null, soonest == DateTimeOffset.MaxValue ? spacing : soonest - now, false);
        }
    }

    /// <summary>A quiet spell since the allowance last changed: one step back toward the setting.</summary>
    private void Relax(Tenant tenant, DateTimeOffset now)
    {
        var floor = options.Value.ArrivalAllowance;
        if (tenant.Allowance > floor && now >= tenant.AllowanceChangedAt + AllowanceQuietSpell)
        {
            var lowered = tenant.Allowance - options.Value.ArrivalAllowanceStep;
            tenant.Allowance = lowered > floor ? lowered : floor;
            tenant.AllowanceChangedAt = now;
        }
    }

    /// <summary>When a request still out gives its token back: never before its answer, unless the rule says it has surely arrived.</summary>
    private DateTimeOffset ReturnsAt(Tenant tenant, TenantSlot slot) =>
        options.Value.Pacing == PacingRule.Sent && slot.SentAt is { } sent ? sent + tenant.Allowance + Window : DateTimeOffset.MaxValue;

    private void Release(Tenant tenant, TenantSlot slot)
    {
        lock (tenant)
        {
            var now = time.GetUtcNow();
            tenant.Out.Remove(slot);
            tenant.LastUsed = now;
            if (!slot.WasSent)
            {
                return;
            }

            // Received at the latest when answered (or, by the Sent rule, within the allowance of leaving).
            var arrivedBy = ReturnsAt(tenant, slot) - Window;
            var back = (arrivedBy < now ? arrivedBy : now) + Window;
            if (back > now)
            {
                tenant.Returning.Add(back);
            }
        }
    }

    /// <summary>When the tenant may send again, if it is paused now for longer than <see cref="ShortPause"/> (a shorter pause is waited out).</summary>
    public DateTimeOffset? PausedLong(long tenantId) =>
        PausedUntil(tenantId) is { } until && until - time.GetUtcNow() > ShortPause ? until : null;

    /// <summary>When the tenant may send again, if it is paused now.</summary>
    public DateTimeOffset? PausedUntil(long tenantId)
    {
        var until = _tenants.TryGetValue(tenantId, out var tenant) ? tenant.PausedUntil : DateTimeOffset.MinValue;
        return until > time.GetUtcNow() ? until : null;
    }

    /// <summary>A 429: pause the tenant for Retry-After, or for an exponential, jittered backoff when Teams gave none.</summary>
    public DateTimeOffset Throttled(long tenantId, TimeSpan? retryAfter)
    {
        while (true)
        {
            var tenant = _tenants.GetOrAdd(tenantId, NewTenant);
            lock (tenant)
            {
                if (tenant.Retired)
                {
                    continue;
                }

                tenant.ConsecutiveThrottles++;
                var now = time.GetUtcNow();
                if (options.Value.Pacing == PacingRule.Sent && now >= tenant.AllowanceChangedAt + Window)
                {
                    // A 429 under the Sent rule says some request reached Teams later than assumed: assume a step later
                    // from now on for this tenant (once per second, as one late moment can 429 several requests at
                    // once). A step, not a doubling: a 429 costs a second's pause, but every 10 ms of allowance costs
                    // one request in a hundred for as long as it stays, and doubling overshot (30 → 70 → 150 → 310 ms).
                    // 20 ms steps lost least in simulated runs with stalls (README, outbox section).
                    var raised = tenant.Allowance + options.Value.ArrivalAllowanceStep;
                    tenant.Allowance = raised < MostAllowance ? raised : MostAllowance;
                    tenant.AllowanceChangedAt = now;
                }

                var backoff = options.Value.ThrottleBaseDelay * Math.Pow(2, Math.Min(tenant.ConsecutiveThrottles - 1, 6));
                var wait = retryAfter ?? backoff * (0.8 + Random.Shared.NextDouble() * 0.4);
                var until = now + wait;
                if (until > tenant.PausedUntil)
                {
                    tenant.PausedUntil = until;
                }

                return tenant.PausedUntil;
            }
        }
    }

    public void Succeeded(long tenantId)
    {
        if (_tenants.TryGetValue(tenantId, out var tenant))
        {
            lock (tenant)
            {
                tenant.ConsecutiveThrottles = 0;
            }
        }
    }

    /// <summary>
    /// Tokens of all tenants now: granted but not yet sent, sent and not yet answered, and answered but still
    /// counted (their second not over) — where a tenant's 50 are, to see whether the rule or something else limits.
    /// </summary>
    public (int Granted, int Sent, int Returning) Tokens()
    {
        var now = time.GetUtcNow();
        int granted = 0, sent = 0, returning = 0;
        foreach (var tenant in _tenants.Values)
        {
            lock (tenant)
            {
                foreach (var slot in tenant.Out)
                {
                    if (slot.SentAt is null)
                    {
                        granted++;
                    }
                    else if (ReturnsAt(tenant, slot) > now)
                    {
                        sent++;
                    }
                }

                returning += tenant.Returning.Count(t => t > now);
            }
        }

        return (granted, sent, returning);
    }

    /// <summary>By the Sent rule, the largest arrival allowance any tenant has learnt (the setting until a 429 raised one).</summary>
    public TimeSpan LargestAllowance() =>
        _tenants.Values.Select(t => { lock (t) { return t.Allowance; } }).DefaultIfEmpty(options.Value.ArrivalAllowance).Max();

    public long[] PausedTenants() => [.. _tenants.Where(t => t.Value.PausedUntil > time.GetUtcNow()).Select(t => t.Key)];

    /// <summary>
    /// Forgets tenants with nothing out, no token to come back, no pause and no use for half a minute, so an
    /// instance that served 10,000 tenants once does not keep them all. A forgotten tenant starts afresh: safe,
    /// as nothing of it can still be counted at Teams.
    /// </summary>
    public void Sweep()
    {
        var now = time.GetUtcNow();
        foreach (var (id, tenant) in _tenants)
        {
            lock (tenant)
            {
                if (tenant.Out.Count == 0 && tenant.Returning.All(t => t <= now) && tenant.PausedUntil <= now && tenant.LastUsed + ForgetAfter <= now)
                {
                    tenant.Retired = true;
                    _tenants.TryRemove(new KeyValuePair<long, Tenant>(id, tenant));
                }
            }
        }
    }
}
