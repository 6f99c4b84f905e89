using System.Globalization;

namespace AlignmentBot.Tests.Teams.Fakes;

/// <summary>
/// How long the fake takes to answer one call, drawn per call: a log-normal body set by its median and p99,
/// a slow tail (a small share of calls take several times the p99), and optionally a share of 503s. Where
/// Teams counts a request against its limits (its front door) is somewhere inside that time: the call
/// reaches it after <see cref="ArrivalJitter"/> at most (uniform), then the rest of the time is processing.
/// A fixed latency is the degenerate case (p99 = median, no tail, no jitter).
/// </summary>
public sealed record FakeLatency(
    TimeSpan Median,
    TimeSpan P99,
    double SlowShare = 0,
    double SlowFactor = 1,
    TimeSpan ArrivalJitter = default,
    double ServerErrorShare = 0)
{
    /// <summary>The standard normal's 99th percentile: p99 = median × e^(σ × 2.326).</summary>
    private const double Z99 = 2.3263;

    public static FakeLatency Fixed(TimeSpan latency) => new(latency, latency);

    /// <summary>
    /// What the benchmarks use at a median m: p99 = 3m, 0.5 % of calls 2–4 × the p99 (a stalled backend), and up
    /// to min(m/10, 25 ms) between sending and arriving at Teams' front door (the network, jittered).
    /// </summary>
    public static FakeLatency LikeTeams(int medianMs, double serverErrorShare = 0) => new(
        TimeSpan.FromMilliseconds(medianMs),
        TimeSpan.FromMilliseconds(3 * medianMs),
        SlowShare: 0.005,
        SlowFactor: 3,
        ArrivalJitter: TimeSpan.FromMilliseconds(Math.Min(medianMs / 10.0, 25)),
        ServerErrorShare: serverErrorShare);

    public static implicit operator FakeLatency(TimeSpan latency) => Fixed(latency);

    /// <summary>One call: when it arrives (after sending), when it is answered (after sending), and whether it fails with a 503.</summary>
    public (TimeSpan Arrival, TimeSpan Answer, bool ServerError) Next(Random random)
    {
        var sigma = P99 > Median && Median > TimeSpan.Zero ? Math.Log(P99 / Median) / Z99 : 0;
        var answer = Median * Math.Exp(sigma * Gaussian(random));
        if (SlowShare > 0 && random.NextDouble() < SlowShare)
        {
            // Beyond the body's p99: between 1 and 2 × SlowFactor × p99.
            answer = P99 * SlowFactor * (1 + random.NextDouble());
        }

        var arrival = ArrivalJitter * random.NextDouble();
        return (arrival < answer ? arrival : answer, answer, ServerErrorShare > 0 && random.NextDouble() < ServerErrorShare);
    }

    /// <summary>As the benchmark lines print it, e.g. <c>latency_ms=250</c> (the median).</summary>
    public string Label => string.Create(CultureInfo.InvariantCulture, $"latency_ms={Median.TotalMilliseconds:0}");

    public string Description => string.Create(CultureInfo.InvariantCulture,
        $"latency median {Median.TotalMilliseconds:0} ms, p99 {P99.TotalMilliseconds:0} ms, {SlowShare:0.#%} slow ({SlowFactor:0.#}-{2 * SlowFactor:0.#} x p99), arrival within {ArrivalJitter.TotalMilliseconds:0} ms, {ServerErrorShare:0.##%} 503s");

    private static double Gaussian(Random random)
    {
        // Box–Muller; 1 - NextDouble() is in (0, 1], so the log is finite.
        var u = 1 - random.NextDouble();
        var v = random.NextDouble();
        return Math.Sqrt(-2 * Math.Log(u)) * Math.Cos(2 * Math.PI * v);
    }
}
