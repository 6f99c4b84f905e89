using System.Diagnostics.Metrics;

namespace AlignmentBot.Bot.Delivery;

/// <summary>
/// The outbox's meter, "AlignmentBot.Delivery": counters for sent, failed and throttled messages, and
/// gauges for the queue depth and the age of the oldest due message (refreshed by the dispatcher), the sends
/// in flight now (exactly what a crash at this instant could send twice), their limit, and the dispatcher's
/// worker tasks and tenants in memory (none when idle).
/// </summary>
public sealed class DeliveryMetrics : IDisposable
{
    public const string MeterName = "AlignmentBot.Delivery";

    private readonly Meter _meter;
    private readonly Counter<long> _sent;
    private readonly Counter<long> _failed;
    private readonly Counter<long> _throttled;

    public DeliveryMetrics(IMeterFactory meters)
    {
        _meter = meters.Create(MeterName);
        _sent = _meter.CreateCounter<long>("alignmentbot.delivery.sent", description: "Messages the platform accepted");
        _failed = _meter.CreateCounter<long>("alignmentbot.delivery.failed", description: "Messages failed or cancelled for good");
        _throttled = _meter.CreateCounter<long>("alignmentbot.delivery.throttled", description: "429 answers (the tenant was paused)");
        _meter.CreateObservableGauge("alignmentbot.delivery.queue_depth", () => QueueDepth, description: "Messages not yet sent");
        _meter.CreateObservableGauge("alignmentbot.delivery.oldest_due_age", () => OldestDueSeconds, unit: "s", description: "How long the oldest due message has waited");
        _meter.CreateObservableGauge("alignmentbot.delivery.in_flight", () => _inFlight?.Count ?? 0, description: "Sends between request and recorded outcome: the most a crash now could send twice");
        _meter.CreateObservableGauge("alignmentbot.delivery.in_flight_limit", () => _inFlight?.Limit ?? 0, description: "Sends allowed in flight now (measured latency x the busy tenants' rate)");
        _meter.CreateObservableGauge("alignmentbot.delivery.workers", () => _workers(), description: "Dispatcher worker tasks (none when the outbox is idle)");
        _meter.CreateObservableGauge("alignmentbot.delivery.tenants_in_memory", () => _tenants(), description: "Tenants with claimed rows in memory");
    }

    private InFlightGate? _inFlight;
    private Func<int> _workers = () => 0;
    private Func<int> _tenants = () => 0;

    public long QueueDepth { get; set; }

    public double OldestDueSeconds { get; set; }

    public void Sent() => _sent.Add(1);

    public void Failed(string reason) => _failed.Add(1, new KeyValuePair<string, object?>("reason", reason));

    public void Throttled() => _throttled.Add(1);

    /// <summary>Where the in-flight and worker gauges read from (the dispatcher's own counters).</summary>
    internal void Observe(InFlightGate inFlight, Func<int> workers, Func<int> tenants)
    {
        _inFlight = inFlight;
        _workers = workers;
        _tenants = tenants;
    }

    public void Dispose() => _meter.Dispose();
}
