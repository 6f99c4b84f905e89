using Microsoft.Extensions.Options;

namespace AlignmentBot.Bot.Delivery;

/// <summary>How the dispatcher drains the outbox: within the platform's limits, without waiting for 429s.</summary>
public sealed class DeliveryOptions
{
    public const string Section = "Delivery";

    /// <summary>Teams' limit: requests per second per app per tenant (conversation creations included).</summary>
    public double TenantRequestsPerSecond { get; set; } = 50;

    /// <summary>
    /// How far below the limit to stay, should Teams ever count differently from its documentation
    /// (0.02 = at most 49 of 50). None is needed for jitter: <see cref="TenantPacer"/> counts conservatively.
    /// </summary>
    public double Headroom { get; set; }

    /// <summary>When a tenant's token comes back: <see cref="PacingRule.Answered"/> (never a 429) or the faster <see cref="PacingRule.Sent"/>.</summary>
    public PacingRule Pacing { get; set; } = PacingRule.Answered;

    /// <summary>For <see cref="PacingRule.Sent"/>: how soon after sending Teams is assumed to have received a request, to start with and at least.</summary>
    public TimeSpan ArrivalAllowance { get; set; } = TimeSpan.FromMilliseconds(30);

    /// <summary>
    /// For <see cref="PacingRule.Sent"/>: what a 429 adds to the tenant's allowance (at most once a second, up to
    /// 1 s); each 30 s without one takes a step off again, down to <see cref="ArrivalAllowance"/>.
    /// </summary>
    public TimeSpan ArrivalAllowanceStep { get; set; } = TimeSpan.FromMilliseconds(20);

    /// <summary>
    /// The most sends under way at once in this instance. The dispatcher keeps fewer: as many as the measured
    /// latency and its tenants' rate need (and memory allows). After a crash at most the sends then under way —
    /// never more than this — are sent twice.
    /// </summary>
    public int MaxInFlight { get; set; } = 1000;

    /// <summary>Rows claimed per database round trip.</summary>
    public int BatchSize { get; set; } = 200;

    /// <summary>Rows of one tenant held in memory waiting for their turn; keeps claims well inside the lease.</summary>
    public int MaxQueuedPerTenant { get; set; } = 150;

    /// <summary>How often the outbox is polled when there is room for more work.</summary>
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromMilliseconds(200);

    /// <summary>How long a claimed row belongs to this instance; after that (a crash) any instance claims it again.</summary>
    public TimeSpan Lease { get; set; } = TimeSpan.FromMinutes(2);

    /// <summary>How often an instance says it is alive and renews the tenants it drains.</summary>
    public TimeSpan HeartbeatInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>How long an instance holds a tenant without renewing; after a crash the tenant waits this long for a new owner.</summary>
    public TimeSpan TenantLease { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>Attempts (412/5xx/no answer) before a message is failed for good. 429s do not count.</summary>
    public int MaxAttempts { get; set; } = 6;

    /// <summary>First retry delay after a 412/5xx; doubled per attempt, with jitter.</summary>
    public TimeSpan RetryBaseDelay { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>Pause of a tenant after a 429 without Retry-After (doubled per consecutive 429, with jitter).</summary>
    public TimeSpan ThrottleBaseDelay { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>Requests of one tenant that may be under way or answered within the last second.</summary>
    public int TenantRequestsPerWindow => Math.Max(1, (int)Math.Floor(TenantRequestsPerSecond * (1 - Headroom)));
}

internal sealed class DeliveryOptionsValidator : IValidateOptions<DeliveryOptions>
{
    public ValidateOptionsResult Validate(string? name, DeliveryOptions o)
    {
        var failures = new List<string>();
        void Check(bool ok, string key, string rule)
        {
            if (!ok)
            {
                failures.Add($"{DeliveryOptions.Section}:{key} {rule}");
            }
        }

        Check(o.TenantRequestsPerSecond is > 0 and <= 10_000, nameof(o.TenantRequestsPerSecond), "must be between 0 and 10000 (Teams allows 50).");
        Check(o.Headroom is >= 0 and < 0.5, nameof(o.Headroom), "must be from 0 to 0.5 (0.02 stays at 98 % of the limit; default 0).");
        Check(Enum.IsDefined(o.Pacing), nameof(o.Pacing), "must be Answered (default: never a 429) or Sent (faster; assumes Teams receives a request within Delivery:ArrivalAllowance of sending).");
        Check(o.ArrivalAllowance >= TimeSpan.Zero && o.ArrivalAllowance <= TimeSpan.FromSeconds(1), nameof(o.ArrivalAllowance), "must be from 00:00:00 to 00:00:01 (default 00:00:00.030).");
        Check(o.ArrivalAllowanceStep > TimeSpan.Zero && o.ArrivalAllowanceStep <= TimeSpan.FromSeconds(1), nameof(o.ArrivalAllowanceStep), "must be from 00:00:00.001 to 00:00:01 (default 00:00:00.020).");
        Check(o.MaxInFlight is >= 1 and <= 10_000, nameof(o.MaxInFlight), "must be from 1 to 10000 (default 1000).");
        Check(o.BatchSize is >= 1 and <= 5000, nameof(o.BatchSize), "must be from 1 to 5000.");
        Check(o.MaxQueuedPerTenant >= 1, nameof(o.MaxQueuedPerTenant), "must be at least 1.");
        Check(o.PollInterval > TimeSpan.Zero && o.PollInterval <= TimeSpan.FromMinutes(1), nameof(o.PollInterval), "must be between 00:00:00.001 and 00:01:00.");
        Check(o.Lease >= TimeSpan.FromSeconds(10), nameof(o.Lease), "must be at least 00:00:10.");
        Check(o.HeartbeatInterval >= TimeSpan.FromMilliseconds(100), nameof(o.HeartbeatInterval), "must be at least 00:00:00.100.");
        Check(o.TenantLease >= o.HeartbeatInterval * 3, nameof(o.TenantLease), "must be at least three heartbeat intervals (Delivery:HeartbeatInterval), so a live owner always renews in time.");
        Check(o.Lease > o.TenantLease, nameof(o.Lease), "must be longer than Delivery:TenantLease.");
        Check(o.MaxAttempts is >= 1 and <= 50, nameof(o.MaxAttempts), "must be from 1 to 50.");
        Check(o.RetryBaseDelay > TimeSpan.Zero, nameof(o.RetryBaseDelay), "must be positive.");
        Check(o.ThrottleBaseDelay > TimeSpan.Zero, nameof(o.ThrottleBaseDelay), "must be positive.");
        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
