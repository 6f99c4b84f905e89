using System.Globalization;
using AlignmentBot.Bot.Delivery;
using AlignmentBot.Tests.Teams.Fakes;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

namespace AlignmentBot.Bench.Pacing;

/// <summary>
/// The pacing rules compared on a simulated clock, no processes and no database: one tenant with 4,000 requests
/// (B's share) against a counting Teams (50 per sliding second, 429 + Retry-After 1 s, 429s counted too), the
/// real <see cref="TenantPacer"/>, latencies drawn like the fan-out bench's fake, and arrivals delayed by a
/// model of the path to Teams' front door: the fake's 0–25 ms jitter, plus stalls (every request due to arrive
/// during one arrives at its end, as when a process or host stops for a moment) and a share of stragglers.
/// Each line is the mean of 3 seeds. What the benchmark cannot do under a loaded machine's noise: the same
/// conditions for every rule.
/// </summary>
public static class PacingSimulation
{
    private const int Limit = 50;
    private const int Work = 4000;

    private sealed record Model(string Name, double StallsPerSecond, int StallMinMs, int StallMaxMs, double LateShare, int LateMaxMs);

    private sealed record Rule(string Name, PacingRule Pacing, int FloorMs, int StepMs, double Headroom);

    private static readonly Model[] Models =
    [
        new("jitter-only", 0, 0, 0, 0, 0),
        new("quiet", 0.1, 20, 60, 0.001, 60),
        new("busy", 0.3, 30, 120, 0.01, 100),
        new("loaded", 0.5, 50, 200, 0.05, 150),
    ];

    private static readonly Rule[] Rules =
    [
        new("Answered", PacingRule.Answered, 30, 20, 0),
        new("Sent", PacingRule.Sent, 30, 20, 0),
        new("Sent step=10ms", PacingRule.Sent, 30, 10, 0),
        new("Sent Headroom=0.02", PacingRule.Sent, 30, 20, 0.02),
        new("Sent ArrivalAllowance=50ms", PacingRule.Sent, 50, 20, 0),
    ];

    public static int Run(TextWriter log)
    {
        log.WriteLine("pacing: one tenant, 4,000 requests, 50/s at Teams; arrival = 0-25 ms jitter + the model's stalls and stragglers; mean of 3 seeds");
        foreach (var model in Models)
        {
            log.WriteLine(Invariant($"model {model.Name}: {model.StallsPerSecond:0.#} stalls/s of {model.StallMinMs}-{model.StallMaxMs} ms, {model.LateShare:0.#%} of requests up to {model.LateMaxMs} ms late"));
            foreach (var medianMs in new[] { 250, 600 })
            {
                foreach (var rule in Rules)
                {
                    var runs = Enumerable.Range(1, 3).Select(seed => Simulate(model, rule, medianMs, seed)).ToList();
                    log.WriteLine(Invariant($"pacing {model.Name} latency_ms={medianMs} {rule.Name}: ratio={runs.Average(r => r.Ratio):0.000} ratio_to_last_request={runs.Average(r => r.RatioToLastRequest):0.000} throttled={runs.Average(r => r.Throttled):0.0} allowance_ms={runs.Average(r => r.AllowanceMs):0}"));
                }
            }
        }

        return 0;
    }

    private static (double Ratio, double RatioToLastRequest, int Throttled, double AllowanceMs) Simulate(Model model, Rule rule, int medianMs, int seed)
    {
        var start = new DateTimeOffset(2026, 11, 2, 9, 0, 0, TimeSpan.Zero);
        var clock = new FakeTimeProvider(start);
        var pacer = new TenantPacer(Options.Create(new DeliveryOptions
        {
            TenantRequestsPerSecond = Limit,
            Pacing = rule.Pacing,
            ArrivalAllowance = TimeSpan.FromMilliseconds(rule.FloorMs),
            ArrivalAllowanceStep = TimeSpan.FromMilliseconds(rule.StepMs),
            Headroom = rule.Headroom,
        }), clock);
        var latency = FakeLatency.LikeTeams(medianMs);
        var random = new Random(seed);
        var arriving = new PriorityQueue<int, DateTimeOffset>();
        var answering = new PriorityQueue<(TenantSlot Slot, int Request), DateTimeOffset>();
        var throttled = new HashSet<int>();
        var atTeams = new Queue<DateTimeOffset>();
        var stallUntil = DateTimeOffset.MinValue;
        var lastArrival = start;
        int next = 0, done = 0, throttles = 0, pending = Work;
        var now = start;
        for (; done < Work; clock.Advance(TimeSpan.FromMilliseconds(1)), now = clock.GetUtcNow())
        {
            if (now >= stallUntil && random.NextDouble() < model.StallsPerSecond / 1000)
            {
                stallUntil = now + TimeSpan.FromMilliseconds(random.Next(model.StallMinMs, model.StallMaxMs + 1));
            }

            while (now >= stallUntil && arriving.TryPeek(out _, out var at) && at <= now)
            {
                var request = arriving.Dequeue();
                while (atTeams.Count > 0 && atTeams.Peek() <= now - TimeSpan.FromSeconds(1))
                {
                    atTeams.Dequeue();
                }

                if (atTeams.Count >= Limit)
                {
                    throttled.Add(request);
                    throttles++;
                }

                atTeams.Enqueue(now);
                lastArrival = now;
            }

            // Answered after arriving: a stalled arrival holds its answer back too.
            while (answering.TryPeek(out var waiting, out var at) && at <= now && !arriving.UnorderedItems.Any(a => a.Element == waiting.Request))
            {
                var (slot, request) = answering.Dequeue();
                slot.Dispose();
                if (throttled.Contains(request))
                {
                    pacer.Throttled(1, TimeSpan.FromSeconds(1));
                    pending++;
                }
                else
                {
                    done++;
                }
            }

            while (pending > 0 && pacer.TryAcquire(1, out _) is { } slot)
            {
                if (pacer.PausedUntil(1) is not null)
                {
                    slot.NotSent();
                    slot.Dispose();
                    break;
                }

                pending--;
                slot.Sending();
                var delay = TimeSpan.FromMilliseconds(25 * random.NextDouble());
                if (random.NextDouble() < model.LateShare)
                {
                    delay = TimeSpan.FromMilliseconds(model.LateMaxMs * random.NextDouble());
                }

                var answer = latency.Next(random).Answer;
                arriving.Enqueue(next, now + delay);
                answering.Enqueue((slot, next++), now + (answer > delay ? answer : delay));
            }
        }

        var ideal = Work / (double)Limit;
        return (ideal / (now - start).TotalSeconds, ideal / (lastArrival - start).TotalSeconds, throttles, pacer.LargestAllowance().TotalMilliseconds);
    }

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
