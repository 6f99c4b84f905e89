using System.Globalization;
using AlignmentBot.Bot.Cards;
using AlignmentBot.Bot.Delivery;
using AlignmentBot.Bot.Digests;
using AlignmentBot.Bot.Digests.Charts;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using AlignmentBot.Scheduler.Delivery;
using AlignmentBot.Scheduler.Digests;
using Dapper;
using Npgsql;

namespace AlignmentBot.Bench.Digest;

/// <summary>
/// One measurement on the generated organisation: every team's digest made exactly as the dispatcher makes it at send
/// time (<see cref="TeamDigestKind"/>: built by the real <see cref="DigestBuilder"/> through <see cref="TeamDigestBatches"/>,
/// so the teams asked for at once are built in one pass, as in the bot; its trend chart drawn with
/// Skia and published to the database, the Adaptive Card rendered), as many at once as the dispatcher works on
/// one tenant's rows (<see cref="DeliveryDispatcher.WorkersPerTenant"/> at its assumed connector latency, the state
/// it starts a weekly burst in); then the leaders' roll-up (all teams in one set-based pass) and the scheduler's
/// enqueue of the week. Ends with the plans of the heaviest queries and the one-line summary.
/// </summary>
public sealed class DigestBench(string server, TextWriter output)
{
    public async Task<int> RunAsync()
    {
        await using var dataSource = NpgsqlDataSource.Create(DigestOrganisation.ConnectionString(server));
        var builder = new DigestBuilder(dataSource);
        var at = DigestOrganisation.At;
        var clock = new FixedClock(at);
        var chartOptions = Options.Create(new ChartOptions { PublicBaseUrl = "http://127.0.0.1:3978" });
        var charts = new DigestChartLink(
            new PublishedTrendCharts(new ChartStore(dataSource), new ChartAddress(chartOptions), chartOptions, clock),
            NullLogger<DigestChartLink>.Instance);
        var kind = new TeamDigestKind(new TeamDigestBatches(builder, clock), charts);
        long[] teams;
        await using (var connection = await dataSource.OpenConnectionAsync())
        {
            teams = [.. await connection.QueryAsync<long>("SELECT id FROM teams ORDER BY id")];
        }

        // Warm-up: JIT and one pooled connection, so the first team does not pay for the process starting.
        await SendTimeDigestAsync(kind, teams[0]);

        var concurrency = DeliveryDispatcher.WorkersPerTenant(new DeliveryOptions(), ConnectorLatency.Assumed);
        var cpu = await CpuClock.OpenAsync(dataSource);
        var cpu0 = cpu.Now();
        var perTeam = new System.Collections.Concurrent.ConcurrentBag<(long Team, double Ms, int Bytes)>();
        var started = TimeProvider.System.GetTimestamp();
        await Parallel.ForEachAsync(teams, new ParallelOptions { MaxDegreeOfParallelism = concurrency }, async (team, _) =>
        {
            var t0 = TimeProvider.System.GetTimestamp();
            var bytes = await SendTimeDigestAsync(kind, team);
            perTeam.Add((team, TimeProvider.System.GetElapsedTime(t0).TotalMilliseconds, bytes));
        });
        var digestsS = TimeProvider.System.GetElapsedTime(started).TotalSeconds;

        var t1 = TimeProvider.System.GetTimestamp();
        var all = await builder.BuildAsync(1, null, at, CancellationToken.None);
        var rollupBytes = Bytes(RollupCards.Rollup(all, at, "Europe/Berlin", "Sent because: the benchmark"));
        var rollupMs = TimeProvider.System.GetElapsedTime(t1).TotalMilliseconds;
        var totalS = TimeProvider.System.GetElapsedTime(started).TotalSeconds;
        var cpu1 = cpu.Now();

        var t2 = TimeProvider.System.GetTimestamp();
        var enqueued = await new DigestScheduler(dataSource, new Outbox(dataSource, TimeProvider.System)).EnqueueDueAsync(at, CancellationToken.None);
        var enqueueMs = TimeProvider.System.GetElapsedTime(t2).TotalMilliseconds;
        var rssMb = PeakRssMb();

        var ms = perTeam.Select(p => p.Ms).Order().ToList();
        var slowest = perTeam.MaxBy(p => p.Ms);
        await output.WriteLineAsync(Invariant($"teams: {teams.Length} digests in {digestsS:0.00} s, {concurrency} at a time, p50 {Percentile(ms, 0.5):0.0} ms, p95 {Percentile(ms, 0.95):0.0} ms, max {slowest.Ms:0.0} ms (team {slowest.Team}); cards {perTeam.Min(p => p.Bytes)}–{perTeam.Max(p => p.Bytes)} bytes"));
        await output.WriteLineAsync(Invariant($"roll-up: {all.Count} teams in {rollupMs:0} ms, card {rollupBytes} bytes, {all.Count(t => t.Flags.Count > 0)} teams flagged, {all.Count(t => t.Latest?.HiddenBecause is not null)} under the threshold"));
        await output.WriteLineAsync(Invariant($"enqueue: {enqueued} deliveries in {enqueueMs:0} ms"));
        await output.WriteLineAsync(Runtime());
        await output.WriteLineAsync(Invariant($"cpu: digests and roll-up took {cpu1.Bench - cpu0.Bench:0.00} CPU-s in the bench, {cpu1.Postgres - cpu0.Postgres:0.00} CPU-s in PostgreSQL"));
        await new DigestExplain(dataSource, output).PrintHeaviestAsync(slowest.Team, concurrency, at);
        await output.WriteLineAsync(Invariant($"digest: teams={teams.Length} concurrency={concurrency} total_s={totalS:0.00} p50_ms={Percentile(ms, 0.5):0.0} p95_ms={Percentile(ms, 0.95):0.0} rss_mb={rssMb:0} cpu_s={cpu1.Bench - cpu0.Bench:0.00} pg_cpu_s={cpu1.Postgres - cpu0.Postgres:0.00}"));
        return 0;
    }

    private static async Task<int> SendTimeDigestAsync(TeamDigestKind kind, long team)
    {
        var payload = System.Text.Json.JsonSerializer.SerializeToElement(new { tenantId = 1, teamId = team, week = "2026-W49", schedule = "on Mondays at 09:00" });
        var reply = await kind.RenderAsync(payload, null, CancellationToken.None) ?? throw new InvalidOperationException($"No digest for team {team}.");
        return Bytes(reply.Card!);
    }

    /// <summary>The generated organisation's "now", so every run builds the same week.</summary>
    internal sealed class FixedClock(DateTimeOffset at) : TimeProvider
    {
        public override DateTimeOffset GetUtcNow() => at;
    }

    /// <summary>The runtime settings measured with, which bot/HostRuntime.props gives the bot and this bench alike.</summary>
    internal static string Runtime() =>
        $"runtime: server GC {(System.Runtime.GCSettings.IsServerGC ? "on" : "off")}, quick JIT {AppContext.GetData("System.Runtime.TieredCompilation.QuickJit") ?? "default (on)"}, tiered PGO {AppContext.GetData("System.Runtime.TieredPGO") ?? "default (on)"}";

    private static int Bytes(Card card) => System.Text.Encoding.UTF8.GetByteCount(AdaptiveCardRenderer.Render(card).ToJsonString());

    private static double Percentile(List<double> sorted, double p) => sorted[(int)Math.Ceiling(p * sorted.Count) - 1];

    /// <summary>This process's peak resident set (VmHWM), in MB.</summary>
    private static double PeakRssMb()
    {
        var line = File.ReadLines("/proc/self/status").First(l => l.StartsWith("VmHWM:", StringComparison.Ordinal));
        return double.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture) / 1024;
    }

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
