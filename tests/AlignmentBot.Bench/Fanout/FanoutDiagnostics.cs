using System.Globalization;
using System.Text.Json;
using AlignmentBot.Tests.Support;
using AlignmentBot.Tests.Teams.Fakes;

namespace AlignmentBot.Bench.Fanout;

/// <summary>
/// Where a run's time went, printed as one <c>diagnostics</c> line: each bot's /healthz sampled twice a second
/// while the outbox drains (sends in flight and their limit, sends waiting for a place, the measured p90, and
/// where the tenants' tokens are: granted but not sent, sent and unanswered, answered but still counted), and
/// from the fakes each tenant's busy rate (requests over first to last arrival) and its fullest one-second
/// window. A tenant's 50 tokens mostly "sent"/"returning" means the pacing rule limits; sends waiting means the
/// in-flight limit does; neither means the bot could not keep up (CPU, workers, claims).
/// </summary>
public sealed class FanoutDiagnostics
{
    private static readonly string[] Fields = ["inFlight", "inFlightLimit", "inFlightWaiting", "latencyP90Ms", "tokensGranted", "tokensSent", "tokensReturning", "workers", "arrivalAllowanceMs"];

    private readonly Dictionary<string, double> _sums = Fields.ToDictionary(f => f, _ => 0.0);
    private int _samples;

    /// <summary>Samples until <paramref name="ct"/> is cancelled (the drain is over).</summary>
    public async Task SampleAsync(IReadOnlyList<BotProcess> bots, CancellationToken ct)
    {
        var clients = bots.Select(b => new HttpClient { BaseAddress = b.BaseAddress }).ToList();
        try
        {
            while (!ct.IsCancellationRequested)
            {
                try
                {
                    await Task.Delay(TimeSpan.FromMilliseconds(500), ct);
                    var sample = Fields.ToDictionary(f => f, _ => 0.0);
                    foreach (var http in clients)
                    {
                        using var health = JsonDocument.Parse(await http.GetStringAsync(new Uri("/healthz", UriKind.Relative), ct));
                        foreach (var field in Fields)
                        {
                            if (health.RootElement.TryGetProperty(field, out var value))
                            {
                                // Summed over instances, but the latency is averaged.
                                sample[field] += value.GetDouble() / (field is "latencyP90Ms" or "arrivalAllowanceMs" ? clients.Count : 1);
                            }
                        }
                    }

                    foreach (var field in Fields)
                    {
                        _sums[field] += sample[field];
                    }

                    _samples++;
                }
                catch (Exception ex) when (ex is HttpRequestException or JsonException or OperationCanceledException)
                {
                    // a bot busy or gone for a moment: that sample is skipped
                }
            }
        }
        finally
        {
            clients.ForEach(c => c.Dispose());
        }
    }

    /// <summary>The line: averages over the drain, the tenants' busy rates and fullest windows, and each rule's ceiling at this latency.</summary>
    public string Line(FanoutScenario scenario, FakeLatency latency, IEnumerable<FakeBotConnector> connectors, TimeSpan allowance, DateTimeOffset started, TimeSpan enqueued)
    {
        double Avg(string field) => _samples == 0 ? 0 : _sums[field] / _samples;
        var tenants = connectors.Select(c => c.Requests.Select(r => r.ReceivedAt).Order().ToList()).Where(t => t.Count > 1).ToList();
        var busyRates = tenants.Select(t => (t.Count - 1) / (t[^1] - t[0]).TotalSeconds).ToList();
        var fullest = tenants.Select(FullestSecond).DefaultIfEmpty(0).Max();
        // Time lost at the edges: from the moment the rows were due to each tenant's first request, and between tenants' last ones.
        // The run's ratio counts to the last send *recorded*, so it also waits for the slowest answers at the end (the
        // fake's slow tail: 3-6 x p99, up to 10.8 s at 600 ms); ratio_to_last_request stops at the last request's arrival.
        var firsts = tenants.Select(t => (t[0] - started).TotalSeconds).DefaultIfEmpty(0).ToList();
        var lasts = tenants.Select(t => (t[^1] - started).TotalSeconds).DefaultIfEmpty(0).ToList();

        // Each token is out from its grant to a second after the answer (Answered) or after sending + the allowance (Sent).
        var meanSeconds = Enumerable.Range(0, 100_000).Select(_ => latency.Next(Random.Shared).Answer.TotalSeconds).Average();
        return string.Create(CultureInfo.InvariantCulture,
            $"diagnostics {scenario.Name} {latency.Label}: samples={_samples} enqueue_s={enqueued.TotalSeconds:0.0} first_request_s={firsts.Min():0.0}-{firsts.Max():0.0} last_request_s={lasts.Min():0.0}-{lasts.Max():0.0} in_flight={Avg("inFlight"):0} in_flight_limit={Avg("inFlightLimit"):0} waiting_for_in_flight={Avg("inFlightWaiting"):0} p90_ms={Avg("latencyP90Ms"):0} tokens_granted={Avg("tokensGranted"):0} tokens_sent={Avg("tokensSent"):0} tokens_returning={Avg("tokensReturning"):0} of={scenario.Tenants * FanoutScenario.TenantRequestsPerSecond} workers={Avg("workers"):0} allowance_ms={Avg("arrivalAllowanceMs"):0} tenant_busy_rate={(busyRates.Count == 0 ? 0 : busyRates.Average()):0.0}/s fullest_second={fullest} mean_latency_ms={meanSeconds * 1000:0} ceiling_answered={1 / (1 + meanSeconds):0.00} ceiling_sent={1 / (1 + allowance.TotalSeconds):0.00} ratio_to_last_request={(lasts.Max() > 0 ? scenario.Messages / lasts.Max() / scenario.CeilingPerSecond : 0):0.00}");
    }

    /// <summary>The most arrivals in any one-second window (Teams' count: those after t − 1 s up to t).</summary>
    private static int FullestSecond(List<DateTimeOffset> arrivals)
    {
        var most = 0;
        var start = 0;
        for (var end = 0; end < arrivals.Count; end++)
        {
            while (arrivals[start] <= arrivals[end] - TimeSpan.FromSeconds(1))
            {
                start++;
            }

            most = Math.Max(most, end - start + 1);
        }

        return most;
    }
}
