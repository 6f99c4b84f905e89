using AlignmentBot.Bot.Delivery;
using AlignmentBot.Tests.Teams.Fakes;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

namespace AlignmentBot.Tests.Delivery;

/// <summary>
/// The pacing rules under random latencies, simulated on a fake clock one millisecond at a time: a tenant with
/// endless work takes every token it is given, a request leaves after a random stall (a busy thread pool), and
/// is answered after a latency drawn like Teams' (log-normal, slow tail). Teams may have received each request
/// anywhere in an interval; the worst case is that they all bunched into one second, so the check is the most
/// intervals one one-second window can touch.
/// </summary>
public class TenantPacerPropertyTests
{
    private const int Limit = 50;
    private static readonly TimeSpan Simulated = TimeSpan.FromSeconds(20);
    private static readonly TimeSpan Allowance = TimeSpan.FromMilliseconds(30);

    private sealed record Request(DateTimeOffset Sent, DateTimeOffset Answered);

    private sealed record Run(List<Request> Requests, double RequestsPerSecond);

    [Test]
    public void By_default_no_second_at_Teams_holds_more_than_the_limit_wherever_between_send_and_answer_each_request_arrived()
    {
        foreach (var (seed, medianMs) in Cases())
        {
            var run = Simulate(PacingRule.Answered, seed, medianMs);

            var worst = MostInOneSecond(run.Requests.Select(r => (r.Sent, r.Answered)));
            TestContext.Out.WriteLine($"Answered, median {medianMs} ms, seed {seed}: {run.RequestsPerSecond:0.0} requests/s, worst second {worst}");
            Assert.That(worst, Is.LessThanOrEqualTo(Limit), $"median {medianMs} ms, seed {seed}");
            Assert.That(run.RequestsPerSecond, Is.GreaterThan(Limit / (1 + 4 * medianMs / 1000.0)), "it paces, it does not stop");
        }
    }

    [Test]
    public void The_Sent_rule_holds_the_limit_when_every_request_arrives_within_the_allowance_of_leaving_and_nearly_reaches_it()
    {
        foreach (var (seed, medianMs) in Cases())
        {
            var run = Simulate(PacingRule.Sent, seed, medianMs);

            var worst = MostInOneSecond(run.Requests.Select(r => (r.Sent, Min(r.Answered, r.Sent + Allowance))));
            TestContext.Out.WriteLine($"Sent, median {medianMs} ms, seed {seed}: {run.RequestsPerSecond:0.0} requests/s, worst second {worst}");
            Assert.That(worst, Is.LessThanOrEqualTo(Limit), $"median {medianMs} ms, seed {seed}");
            Assert.That(run.RequestsPerSecond, Is.GreaterThanOrEqualTo(0.95 * Limit), "1 s + 30 ms per token, whatever the latency");
        }
    }

    [Test]
    public void The_Sent_rule_can_exceed_the_limit_when_a_request_may_arrive_anywhere_up_to_its_answer()
    {
        // Why it is not the default: only the answer bounds the arrival for sure.
        var run = Simulate(PacingRule.Sent, seed: 7, medianMs: 250);

        var worst = MostInOneSecond(run.Requests.Select(r => (r.Sent, r.Answered)));
        TestContext.Out.WriteLine($"Sent rule, arrivals anywhere in [send, answer]: worst second {worst}");
        Assert.That(worst, Is.GreaterThan(Limit));
    }

    [Test]
    public void The_default_rule_costs_the_round_trip_per_token()
    {
        var run = Simulate(PacingRule.Answered, seed: 3, medianMs: 250);

        // A token is out for 1 s + the latency (mean about 290 ms here): about 50 / 1.3 s.
        Assert.That(run.RequestsPerSecond, Is.InRange(34, 42));
    }

    [Test]
    public void By_the_Sent_rule_429s_teach_a_tenant_how_late_its_requests_arrive_a_step_at_a_time_and_then_stop()
    {
        foreach (var (seed, medianMs) in Cases())
        {
            // One request in five reaches Teams up to 100 ms after leaving (as a busy host's worst moments do): more
            // than three times the allowance the rule starts from, so four 20 ms steps to learn.
            var (learning, learnt, rate) = SimulateWithTeams(seed, medianMs, lateShare: 0.2, lateBy: TimeSpan.FromMilliseconds(100), simulated: TimeSpan.FromSeconds(40));

            TestContext.Out.WriteLine($"Sent, median {medianMs} ms, seed {seed}: 429s {learning} while learning, {learnt} once the allowance covered the lateness; {rate:0.0} requests/s in the last 10 s");
            Assert.That(learning, Is.InRange(1, 60), "some, while it learns: a step per second with a 429");
            Assert.That(learnt, Is.Zero, "none sent once the allowance covers how late requests arrive");
            // Steps do not overshoot by more than one: a token out for at most 1 s + 130 ms (44 of 50 requests/s).
            Assert.That(rate, Is.GreaterThan(0.8 * Limit), "and it keeps most of the rate");
        }
    }

    [Test]
    public void By_the_Sent_rule_jitter_within_the_allowance_costs_no_429_and_the_allowance_stays_put()
    {
        foreach (var (seed, medianMs) in Cases())
        {
            // The benchmark's network: every request arrives within 25 ms of leaving, inside the 30 ms allowance.
            var (learning, learnt, rate) = SimulateWithTeams(seed, medianMs, lateShare: 0, lateBy: TimeSpan.Zero, jitter: TimeSpan.FromMilliseconds(25));

            Assert.That(learning + learnt, Is.Zero, $"median {medianMs} ms, seed {seed}");
            Assert.That(rate, Is.GreaterThanOrEqualTo(0.95 * Limit), "1 s + 30 ms per token: 48.5 of 50 requests/s");
        }
    }

    /// <summary>
    /// A tenant with endless work against a counting Teams: each request arrives after a delay (most within
    /// <paramref name="jitter"/>, 20 ms unless given, a share up to <paramref name="lateBy"/>), a 1 s window over the limit answers 429, and the 429 pauses the
    /// tenant and reaches the pacer with the answer, as in the sender.
    /// </summary>
    private static (int Learning, int Learnt, double RateAfter) SimulateWithTeams(int seed, int medianMs, double lateShare, TimeSpan lateBy, TimeSpan? jitter = null, TimeSpan? simulated = null)
    {
        var length = simulated ?? Simulated;
        var start = new DateTimeOffset(2026, 11, 2, 9, 0, 0, TimeSpan.Zero);
        var clock = new FakeTimeProvider(start);
        var pacer = new TenantPacer(Options.Create(new DeliveryOptions { TenantRequestsPerSecond = Limit, Pacing = PacingRule.Sent, ArrivalAllowance = Allowance }), clock);
        var latency = FakeLatency.LikeTeams(medianMs);
        var random = new Random(seed);
        var arriving = new PriorityQueue<(int Request, bool Covered), DateTimeOffset>();
        var answering = new PriorityQueue<(TenantSlot Slot, int Request), DateTimeOffset>();
        var throttled = new HashSet<int>();
        var atTeams = new Queue<DateTimeOffset>();
        var lastTen = start + length - TimeSpan.FromSeconds(10);
        int learning = 0, learnt = 0, next = 0, sentAfter = 0;
        for (var now = start; now < start + length; clock.Advance(TimeSpan.FromMilliseconds(1)), now = clock.GetUtcNow())
        {
            while (arriving.TryDequeue(out var request, out var at))
            {
                if (at > now)
                {
                    arriving.Enqueue(request, at);
                    break;
                }

                while (atTeams.Count > 0 && atTeams.Peek() <= now - TimeSpan.FromSeconds(1))
                {
                    atTeams.Dequeue();
                }

                if (atTeams.Count >= Limit)
                {
                    throttled.Add(request.Request);
                    if (request.Covered)
                    {
                        learnt++;
                    }
                    else
                    {
                        learning++;
                    }
                }

                atTeams.Enqueue(now);
            }

            while (answering.TryPeek(out _, out var at) && at <= now)
            {
                var (slot, request) = answering.Dequeue();
                slot.Dispose();
                if (throttled.Contains(request))
                {
                    pacer.Throttled(1, TimeSpan.FromSeconds(1));
                }
            }

            while (pacer.PausedUntil(1) is null && pacer.TryAcquire(1, out _) is { } slot)
            {
                slot.Sending();
                var delay = random.NextDouble() < lateShare ? lateBy * random.NextDouble() : (jitter ?? TimeSpan.FromMilliseconds(20)) * random.NextDouble();
                var answer = latency.Next(random).Answer;
                arriving.Enqueue((next, lateShare > 0 && pacer.LargestAllowance() >= lateBy), now + delay);
                answering.Enqueue((slot, next++), now + (answer > delay ? answer : delay));
                sentAfter += now >= lastTen ? 1 : 0;
            }
        }

        return (learning, learnt, sentAfter / 10.0);
    }

    private static IEnumerable<(int Seed, int MedianMs)> Cases() =>
        from seed in Enumerable.Range(1, 4)
        from medianMs in new[] { 20, 250, 600 }
        select (seed, medianMs);

    private static Run Simulate(PacingRule rule, int seed, int medianMs)
    {
        var start = new DateTimeOffset(2026, 11, 2, 9, 0, 0, TimeSpan.Zero);
        var clock = new FakeTimeProvider(start);
        var pacer = new TenantPacer(Options.Create(new DeliveryOptions { TenantRequestsPerSecond = Limit, Pacing = rule, ArrivalAllowance = Allowance }), clock);
        var latency = FakeLatency.LikeTeams(medianMs);
        var random = new Random(seed);
        var leaving = new PriorityQueue<(TenantSlot Slot, TimeSpan Latency), DateTimeOffset>();
        var answering = new PriorityQueue<(TenantSlot Slot, DateTimeOffset Sent), DateTimeOffset>();
        var requests = new List<Request>();
        var granted = 0;

        for (var now = start; now < start + Simulated; clock.Advance(TimeSpan.FromMilliseconds(1)), now = clock.GetUtcNow())
        {
            while (leaving.TryPeek(out _, out var at) && at <= now)
            {
                var (slot, took) = leaving.Dequeue();
                slot.Sending();
                answering.Enqueue((slot, now), now + took);
            }

            while (answering.TryPeek(out _, out var at) && at <= now)
            {
                var (slot, sent) = answering.Dequeue();
                slot.Dispose();
                requests.Add(new Request(sent, now));
            }

            while (pacer.TryAcquire(1, out _) is { } slot)
            {
                // One in five leaves late: a thread pool busy with other work.
                var stall = random.NextDouble() < 0.2 ? TimeSpan.FromMilliseconds(random.Next(1, 40)) : TimeSpan.Zero;
                leaving.Enqueue((slot, latency.Next(random).Answer), now + stall);
                granted++;
            }
        }

        // Requests still unanswered at the end were let through too (they count towards the rate, not the windows).
        return new Run(requests, granted / Simulated.TotalSeconds);
    }

    /// <summary>
    /// The most requests one window [t, t + 1 s) can hold when each arrived somewhere in its interval [from, to]:
    /// those with from &lt; t + 1 s and to ≥ t. The count only drops just after some interval's end, so the
    /// windows starting at the ends are the ones to look at.
    /// </summary>
    private static int MostInOneSecond(IEnumerable<(DateTimeOffset From, DateTimeOffset To)> intervals)
    {
        var all = intervals.ToList();
        return all.Count == 0 ? 0 : all.Max(w => all.Count(i => i.From < w.To + TimeSpan.FromSeconds(1) && i.To >= w.To));
    }

    private static DateTimeOffset Min(DateTimeOffset a, DateTimeOffset b) => a < b ? a : b;
}
