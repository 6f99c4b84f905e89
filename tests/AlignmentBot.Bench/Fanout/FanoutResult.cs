using System.Globalization;
using AlignmentBot.Tests.Teams.Fakes;

namespace AlignmentBot.Bench.Fanout;

/// <summary>What one run measured; <see cref="ToLine"/> is the line scripts read.</summary>
public sealed record FanoutResult(
    FanoutScenario Scenario,
    FakeLatency Latency,
    double Rate,
    int Throttled,
    int ServerErrors,
    int Duplicates,
    int Lost,
    double P50Ms,
    double P99Ms,
    double RssMb,
    int Connections,
    string Settings)
{
    public double Ratio => Rate / Scenario.CeilingPerSecond;

    public string ToLine() => string.Create(CultureInfo.InvariantCulture,
        $"fanout {Scenario.Name} instances={Scenario.Instances} {Latency.Label}{Settings}: rate={Rate:0.0} ratio={Ratio:0.00} throttled={Throttled} duplicates={Duplicates} lost={Lost} p50_ms={P50Ms:0} p99_ms={P99Ms:0} rss_mb={RssMb:0} connections={Connections} server_errors={ServerErrors}");
}
